/* The offline start page: the three pages in one, kept by the service worker. Carries on from
 * whatever the officer had entered on the usual pages before the signal went (app.js keeps it,
 * encrypted), checks that each question is answered, and keeps the finished referral, encrypted,
 * to be sent when the signal returns. The server checks everything again then.
 */
import * as vault from './vault.js'
import { ready, currentId, forgetCurrent, formFields, syncNow, showQueue } from './app.js'

const required = JSON.parse(document.getElementById('offline-required').textContent)
const forms = Array.from(document.querySelectorAll('form[data-step]'))
const heading = document.getElementById('offline-heading')
const caption = document.getElementById('offline-caption')
const summary = document.getElementById('offline-errors')
const kept = document.getElementById('offline-kept')
const noKey = document.getElementById('offline-no-key')
const service = document.title.split(' – ').slice(1).join(' – ')
const formOf = (step) => forms.find((form) => form.dataset.step === step)
let id = null
let data = {}
let createdAt

function show (step) {
  for (const form of forms) form.hidden = form.dataset.step !== step
  kept.hidden = step !== 'kept'
  const form = formOf(step)
  heading.textContent = form ? form.dataset.title : 'Referral kept'
  caption.textContent = form ? `Refer without signal: step ${step} of 3` : 'Refer without signal'
  document.title = `${heading.textContent} – ${service}`
  summary.hidden = true
  window.scrollTo(0, 0)
  heading.focus()
}

function fill (form, fields) {
  if (!fields) return
  for (const element of form.elements) {
    if (!element.name || !(element.name in fields || element.type === 'checkbox')) continue
    const values = [].concat(fields[element.name] ?? [])
    if (element.type === 'checkbox' || element.type === 'radio') element.checked = values.includes(element.value)
    else if (values.length) element.value = values[0]
  }
}

const blank = (fields, name) => [].concat(fields[name] ?? []).every((value) => !String(value).trim())

function age (fields) {
  const born = new Date(Number(fields.date_of_birth_2), Number(fields.date_of_birth_1) - 1, Number(fields.date_of_birth_0))
  if (Number.isNaN(born.getTime())) return 99
  const today = new Date()
  let years = today.getFullYear() - born.getFullYear()
  if (today.getMonth() < born.getMonth() || (today.getMonth() === born.getMonth() && today.getDate() < born.getDate())) years -= 1
  return years
}
const young = () => age((data.person || {})) < 18

function problems (step, fields) {
  const found = []
  const need = (name, message, parts = [name]) => {
    if (parts.every((part) => blank(fields, part))) found.push([parts[0], message])
  }
  for (const [name, message] of Object.entries(required[step])) {
    if (name === 'date_of_birth' || name === 'stopped_on') need(name, message, [0, 1, 2].map((i) => `${name}_${i}`))
    else if (name === 'mobile') need(name, message, ['mobile', 'email'])
    else need(name, message)
  }
  if (step === '2' && young()) {
    for (const [name, message] of Object.entries(required.adult)) need(name, message)
  }
  return found
}

function showProblems (form, found) {
  for (const old of document.querySelectorAll('.diversion-offline-error')) old.remove()
  for (const group of form.querySelectorAll('.govuk-form-group--error')) group.classList.remove('govuk-form-group--error')
  const list = summary.querySelector('ul')
  list.replaceChildren()
  for (const [name, message] of found) {
    const element = form.querySelector(`[name="${name}"]`)
    const link = document.createElement('a')
    link.href = `#${element.id}`
    link.textContent = message
    const item = document.createElement('li')
    item.appendChild(link)
    list.appendChild(item)
    const group = element.closest('.govuk-form-group')
    group.classList.add('govuk-form-group--error')
    const inline = document.createElement('p')
    inline.className = 'govuk-error-message diversion-offline-error'
    inline.innerHTML = '<span class="govuk-visually-hidden">Error:</span> '
    inline.append(message)
    group.querySelector('legend, label').insertAdjacentElement('afterend', inline)
  }
  summary.hidden = false
  document.title = `Error: ${heading.textContent} – ${service}`
  summary.focus()
}

async function keep (state = 'draft') {
  try {
    await vault.save(id, state, data, { createdAt })
    createdAt = createdAt || (await vault.records()).find((r) => r.id === id).createdAt
    noKey.hidden = true
    return true
  } catch {
    noKey.hidden = false // no key in this tab yet: kept as soon as the signal brings one
    return false
  }
}

function offerTimes () {
  const options = document.getElementById('booking-options')
  options.querySelector('#id_booking_slot')?.parentElement.remove()
  const current = vault.session()
  const soonest = ((current && current.slots) || []).find((slot) => new Date(slot.starts_at) > new Date())
  if (!soonest) return
  const item = document.createElement('div')
  item.className = 'govuk-radios__item'
  item.innerHTML = '<input class="govuk-radios__input" id="id_booking_slot" name="booking" type="radio"><label class="govuk-label govuk-radios__label" for="id_booking_slot"></label>'
  item.querySelector('input').value = soonest.id
  item.querySelector('label').textContent = `Provisionally ${soonest.label}`
  options.prepend(item)
}

function enterStop () {
  const stop = formOf('2')
  if (!data.stop) {
    const now = new Date()
    fill(stop, {
      stopped_on_0: String(now.getDate()),
      stopped_on_1: String(now.getMonth() + 1),
      stopped_on_2: String(now.getFullYear()),
      stopped_time: now.toTimeString().slice(0, 5)
    })
  }
  const when = formFields(stop)
  document.getElementById('stop-when-label').textContent =
    `${when.stopped_on_0}/${when.stopped_on_1}/${when.stopped_on_2} at ${when.stopped_time}`
  document.getElementById('appropriate-adult').hidden = !young()
  show('2')
}

function enterConsent () {
  offerTimes()
  fill(formOf('3'), data.consent)
  show('3')
}

function addDrugRows () {
  const button = formOf('2').querySelector('button[name="add_drug"]')
  if (!button) return
  button.formAction = ''
  const rows = Array.from(formOf('2').querySelectorAll('.diversion-drug-row'))
  const refresh = () => { button.hidden = rows.every((row) => !row.hidden) }
  button.addEventListener('click', (event) => {
    event.preventDefault()
    const next = rows.find((row) => row.hidden)
    if (next) { next.hidden = false; next.querySelector('select').focus() }
    refresh()
  })
  for (const row of rows) {
    if (row.querySelector('select').value) row.hidden = false
  }
  refresh()
}

function onStep (step, after) {
  formOf(step).addEventListener('submit', async (event) => {
    event.preventDefault()
    const fields = formFields(event.target)
    const found = problems(step, fields)
    if (found.length) return showProblems(event.target, found)
    await after(fields)
  })
}

async function resume () {
  id = sessionStorage.getItem('diversion-offline-current')
  const record = id && (await vault.records()).find((r) => r.id === id && r.state === 'draft')
  const earlier = record && await vault.read(record)
  if (!earlier) { id = currentId(true); data = {}; createdAt = undefined; return '1' }
  data = earlier
  createdAt = record.createdAt
  fill(formOf('1'), data.person)
  fill(formOf('2'), data.stop)
  return data.stop ? '3' : data.person ? '2' : '1'
}

async function start () {
  document.getElementById('offline-without-script').hidden = true
  document.getElementById('offline-note').hidden = false
  await ready
  onStep('1', async (fields) => { data.person = fields; await keep(); enterStop() })
  onStep('2', async (fields) => { data.stop = fields; await keep(); enterConsent() })
  onStep('3', async (fields) => {
    data.consent = fields
    if (!await keep('queued')) return
    forgetCurrent()
    show('kept')
    await showQueue()
    if (navigator.onLine) await syncNow()
  })
  window.addEventListener('online', async () => { if (!noKey.hidden && id) await keep() })
  const step = await resume()
  addDrugRows()
  if (step === '3') enterConsent()
  else if (step === '2') enterStop()
  else show('1')
}

start()
