// Draw each chart's Vega-Lite spec (in its data-vega-spec attribute) with vega-embed.
// The page's CSP forbids eval, so Vega parses expressions to an AST and the expression
// interpreter evaluates them. The table beside each chart holds the same figures; a chart that
// cannot be drawn is hidden and the table stands alone.
(function () {
  'use strict'
  if (!window.vegaEmbed || !window.vega || !window.vega.expressionInterpreter) {
    return
  }
  var options = {
    ast: true,
    expr: window.vega.expressionInterpreter,
    actions: false,
    defaultStyle: false,
    tooltip: false,
    renderer: 'svg'
  }
  document.querySelectorAll('[data-vega-spec]').forEach(function (element) {
    var spec
    try {
      spec = JSON.parse(element.getAttribute('data-vega-spec'))
    } catch (error) {
      element.hidden = true
      return
    }
    window.vegaEmbed(element, spec, options).catch(function () {
      element.hidden = true
    })
  })
})()
