/* The phone's store of offline referrals: IndexedDB, each referral encrypted with AES-GCM under
 * the session's key (decision 0021). The key is fetched from the officer's session and kept in
 * this tab's sessionStorage only, never in IndexedDB: without the session the records are noise.
 * In clear: the record's id (its idempotency key), state, key id and times; never a person.
 */
const DB = 'diversion-officer'
const STORE = 'referrals'
const KEYRING = 'diversion-offline-keys'
const SESSION = 'diversion-offline-session'
export const LIFETIME_MS = 12 * 60 * 60 * 1000
const encoder = new TextEncoder()

function open () {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' })
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

async function run (mode, work) {
  const db = await open()
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode)
      const result = work(tx.objectStore(STORE))
      tx.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined)
      tx.onerror = () => reject(tx.error)
    })
  } finally {
    db.close()
  }
}

export const records = () => run('readonly', (store) => store.getAll())
export const remove = (id) => run('readwrite', (store) => store.delete(id))
const put = (record) => run('readwrite', (store) => store.put(record))

export async function eraseAll () {
  sessionStorage.removeItem(KEYRING)
  sessionStorage.removeItem(SESSION)
  await run('readwrite', (store) => store.clear())
}

export function newId () {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

function keyring () {
  try { return JSON.parse(sessionStorage.getItem(KEYRING) || '{}') } catch { return {} }
}

export function session () {
  try { return JSON.parse(sessionStorage.getItem(SESSION) || 'null') } catch { return null }
}

/* The session's key, token and provisional times, from the server when there is signal. */
export async function refreshSession () {
  const response = await fetch('/referrals/offline/session/', {
    credentials: 'same-origin', headers: { Accept: 'application/json' }, cache: 'no-store'
  })
  if (!response.ok || response.redirected) return null
  const fresh = await response.json()
  const before = session()
  if (before && before.owner !== fresh.owner) sessionStorage.removeItem(KEYRING) // another officer
  const ring = keyring()
  ring[fresh.key_id] = fresh.key
  sessionStorage.setItem(KEYRING, JSON.stringify(ring))
  sessionStorage.setItem(SESSION, JSON.stringify({
    key_id: fresh.key_id,
    sync_token: fresh.sync_token,
    expires_at: fresh.expires_at,
    owner: fresh.owner,
    slots: fresh.slots
  }))
  return fresh
}

function unbase64url (text) {
  const plain = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4))
  return Uint8Array.from(plain, (c) => c.charCodeAt(0))
}

async function cryptoKey (keyId) {
  const raw = keyring()[keyId]
  if (!raw) return null
  return crypto.subtle.importKey('raw', unbase64url(raw), 'AES-GCM', false, ['encrypt', 'decrypt'])
}

/* Encrypt and keep a referral; `data` is everything the officer typed. */
export async function save (id, state, data, { createdAt } = {}) {
  const current = session()
  const key = current && await cryptoKey(current.key_id)
  if (!key) throw new Error('no key for this session yet')
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(id) }, key, encoder.encode(JSON.stringify(data))
  )
  const created = createdAt || Date.now()
  await put({
    id, state, owner: current.owner, keyId: current.key_id, iv, ciphertext, createdAt: created, expiresAt: created + LIFETIME_MS
  })
}

/* The referral's details, or null when this session's key cannot read it. */
export async function open_ (record) {
  if (!record.ciphertext) return null
  const key = await cryptoKey(record.keyId)
  if (!key) return null
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: record.iv, additionalData: encoder.encode(record.id) }, key, record.ciphertext
    )
    return JSON.parse(new TextDecoder().decode(plain))
  } catch {
    return null
  }
}
export { open_ as read }

/* After sending: the details are erased, only the (non-personal) result stays to be shown. */
export const settle = (record, state, result) =>
  put({ id: record.id, state, owner: record.owner, createdAt: record.createdAt, expiresAt: record.expiresAt, result })

/* Referrals past their twelve hours, any this session's key can no longer read once the key is
 * known (signed out, or the key replaced), and any of another officer, are erased. */
export async function purge () {
  const now = Date.now()
  const current = session()
  for (const record of await records()) {
    const expired = record.expiresAt <= now
    const orphan = current && record.ciphertext && !keyring()[record.keyId]
    const someoneElses = current && record.owner !== current.owner
    if (expired || orphan || someoneElses) await remove(record.id)
  }
}
