/* The officer's app, added to the officer's pages (docs/officer-app.md, decision 0021).
 * Without JavaScript none of this runs and the pages work as they always did.
 *  - registers the service worker (scope /referrals/);
 *  - keeps the page's answers, encrypted, on the phone as the officer moves through the three
 *    pages, so a lost signal loses nothing: the offline page carries on from them;
 *  - sends the referrals completed without signal, once each, and shows the queue;
 *  - erases everything on sign-out, after submission, and after twelve hours.
 */
import * as vault from './vault.js'

const CURRENT = 'diversion-offline-current'
const queueBox = () => document.getElementById('offline-queue')
let sending = null

export function currentId (fresh = false) {
  let id = sessionStorage.getItem(CURRENT)
  if (!id || fresh) {
    id = vault.newId()
    sessionStorage.setItem(CURRENT, id)
  }
  return id
}
export const forgetCurrent = () => sessionStorage.removeItem(CURRENT)

export function formFields (form) {
  const fields = {}
  for (const [name, value] of new FormData(form)) {
    if (name === 'csrfmiddlewaretoken' || typeof value !== 'string') continue
    if (name in fields) fields[name] = [].concat(fields[name], value)
    else fields[name] = value
  }
  return fields
}

/* Merge this page's answers into the referral kept on the phone. */
export async function keepPart (id, part, fields, extra = {}) {
  const record = (await vault.records()).find((r) => r.id === id)
  const data = (record && await vault.read(record)) || {}
  data[part] = fields
  Object.assign(data, extra)
  await vault.save(id, 'draft', data, { createdAt: record && record.createdAt })
}

function text (tag, className, content) {
  const node = document.createElement(tag)
  node.className = className
  node.textContent = content
  return node
}

function resultLine (record) {
  const r = record.result || {}
  const when = new Date(record.createdAt).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
  if (record.state === 'sent') {
    if (r.outcome === 'not_eligible') {
      return `Completed at ${when}: not eligible, nothing saved. ${(r.reasons || []).join(' ')} ${r.what_to_do_instead || ''}`
    }
    const booked = {
      booked: `telephone assessment ${r.appointment}`,
      booked_next: `the time held had gone: telephone assessment ${r.appointment} instead (the person is told)`,
      call_back: 'the provider will phone the person to book'
    }[r.outcome] || ''
    return `Completed at ${when}: referral ${r.reference} made, ${booked}.`
  }
  if (record.state === 'failed') {
    return `Completed at ${when}: not sent. ${r.title || ''} ${Object.values(r.errors || {}).flat().join('. ')}. Make this referral again on the referral pages.`
  }
  return `Completed at ${when}: waiting to send.`
}

/* The queue: how many wait to be sent, and the result of each one sent. */
export async function showQueue () {
  const box = queueBox()
  if (!box) return
  const all = (await vault.records()).filter((r) => r.state !== 'draft')
  all.sort((a, b) => a.createdAt - b.createdAt)
  box.replaceChildren()
  if (!all.length) { box.hidden = true; return }
  const waiting = all.filter((r) => r.state === 'queued').length
  box.appendChild(text('h2', 'govuk-heading-m', waiting
    ? `${waiting} referral${waiting === 1 ? '' : 's'} waiting to send`
    : 'Referrals made without signal'))
  if (waiting) {
    box.appendChild(text('p', 'govuk-body', navigator.onLine
      ? 'Sending now. Keep this page open.'
      : 'They are kept encrypted on this phone and will be sent when there is signal.'))
  }
  const list = document.createElement('ul')
  list.className = 'govuk-list govuk-list--bullet'
  for (const record of all) {
    const item = text('li', 'diversion-offline-result', resultLine(record))
    item.dataset.state = record.state
    list.appendChild(item)
  }
  box.appendChild(list)
  const done = all.filter((r) => r.state !== 'queued')
  if (done.length) {
    const clear = text('button', 'govuk-button govuk-button--secondary', 'Clear these results')
    clear.type = 'button'
    clear.addEventListener('click', async () => {
      for (const record of done) await vault.remove(record.id)
      await showQueue()
    })
    box.appendChild(clear)
  }
  box.hidden = false
}

function consentAndBooking (fields) {
  const booking = fields.booking || fields.slot || ''
  return {
    consent: { contact: fields.consent_to_contact === 'on', share: fields.consent_to_share === 'on' },
    booking: booking === 'call_back' ? { call_back: true } : { slot: booking }
  }
}

async function sendOne (record, token) {
  const data = await vault.read(record)
  if (!data) return // not readable yet: this tab has no key for it
  let response
  try {
    response = await fetch('/referrals/sync/', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Offline-Token': token },
      body: JSON.stringify({
        idempotency_key: data.token || record.id,
        person: data.person,
        stop: data.stop,
        ...consentAndBooking(data.consent || {})
      })
    })
  } catch {
    return // still no signal: it waits
  }
  if (response.redirected) return // signed out: it waits for the next sign-in
  const body = await response.json().catch(() => ({}))
  if (response.ok) {
    await vault.settle(record, 'sent', body)
  } else if ([400, 409, 415, 422].includes(response.status)) {
    await vault.settle(record, 'failed', { title: body.title, errors: body.errors })
  }
  // 403 (the session's token changed), 5xx: it waits for the next try.
}

/* Send every referral waiting; safe to call any number of times, from any number of tabs. */
export async function syncNow () {
  if (sending) return sending
  sending = (async () => {
    const current = vault.session() || await vault.refreshSession().catch(() => null)
    if (current) {
      for (const record of await vault.records()) {
        if (record.state === 'queued') await sendOne(record, current.sync_token)
      }
    }
    await showQueue()
  })().finally(() => { sending = null })
  return sending
}

function onSubmitKeep (form, work) {
  form.addEventListener('submit', async (event) => {
    if (form.dataset.kept === 'yes') return // the submission itself, after keeping
    event.preventDefault()
    if (form.dataset.keeping === 'yes') return // a second tap while keeping: one submission
    form.dataset.keeping = 'yes'
    try { await work() } catch { /* no key yet: the server keeps the draft as before */ }
    form.dataset.kept = 'yes'
    form.requestSubmit(event.submitter)
    form.dataset.kept = form.dataset.keeping = ''
  })
}

function mirrorTheFlow () {
  const form = document.querySelector('form[data-offline-part]')
  if (form) {
    if (form.dataset.offlineFresh === 'yes') {
      const previous = sessionStorage.getItem(CURRENT)
      if (previous) vault.remove(previous).catch(() => {})
      forgetCurrent()
    }
    onSubmitKeep(form, () => {
      const token = form.dataset.draftToken || (form.elements.token && form.elements.token.value) || undefined
      return keepPart(currentId(), form.dataset.offlinePart, formFields(form), token ? { token } : {})
    })
  }
  if (document.querySelector('[data-offline-done]')) {
    const id = sessionStorage.getItem(CURRENT)
    if (id) vault.remove(id).catch(() => {})
    forgetCurrent()
  }
}

function eraseOnSignOut () {
  for (const form of document.querySelectorAll('form[action$="/sign-out/"]')) {
    onSubmitKeep(form, async () => {
      forgetCurrent()
      await vault.eraseAll()
      for (const name of await caches.keys()) {
        if (name.startsWith('diversion-officer-')) await caches.delete(name)
      }
    })
  }
}

export async function start () {
  eraseOnSignOut()
  mirrorTheFlow()
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/referrals/sw.js', { scope: '/referrals/' }).catch(() => {})
  }
  if (navigator.onLine) await vault.refreshSession().catch(() => null)
  await vault.purge()
  await showQueue()
  if (navigator.onLine) await syncNow()
  window.addEventListener('online', async () => {
    await vault.refreshSession().catch(() => null)
    await vault.purge()
    await syncNow()
  })
}

export const ready = start()
window.diversionOffline = { syncNow, showQueue, ready }
