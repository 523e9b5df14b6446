/* The officer's service worker (docs/officer-app.md, decision 0021).
 *
 * Served by /referrals/sw.js, which writes the settings below: the version (a digest of this
 * file and every asset it keeps), the offline start page and the assets to keep.
 * Pages are fetched from the network first; without signal a page of the officer's flow is
 * answered with the offline start page, which continues the referral on the phone.
 * Pages with personal details are never kept; the offline page holds none.
 * A new version waits until no officer page is open (it never skips the wait): it takes over at the
 * next visit, never in the middle of a referral.
 */
const APP = self.__APP__
const CACHE = 'diversion-officer-' + APP.version

async function keepOfflinePage (cache) {
  const response = await fetch(APP.offline, { credentials: 'same-origin', cache: 'no-store' })
  if (!response.ok || response.redirected) {
    throw new Error('the offline page could not be fetched (signed out?)')
  }
  // A fresh copy: a navigation must not be answered with a response marked as redirected.
  await cache.put(APP.offline, new Response(await response.blob(), {
    status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }
  }))
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE)
    await cache.addAll(APP.assets)
    await keepOfflinePage(cache)
  })())
})

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('diversion-officer-') && name !== CACHE) await caches.delete(name)
    }
    // Safe: a new version activates only once no officer page is open, so the pages it claims
    // are new ones (and the first install has nothing to replace).
    await self.clients.claim()
  })())
})

async function page (request) {
  try {
    const response = await fetch(request)
    if (new URL(request.url).pathname === APP.offline && response.ok && !response.redirected) {
      const cache = await caches.open(CACHE)
      await cache.put(APP.offline, response.clone())
    }
    return response
  } catch (error) {
    const kept = await caches.match(APP.offline)
    if (kept) return kept
    throw error
  }
}

async function asset (request) {
  const kept = await caches.match(request, { ignoreSearch: true })
  if (kept) return kept
  const response = await fetch(request)
  if (response.ok) {
    const cache = await caches.open(CACHE)
    await cache.put(request, response.clone())
  }
  return response
}

self.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (url.origin !== self.location.origin || APP.never.includes(url.pathname)) return
  if (request.mode === 'navigate' && url.pathname.startsWith(APP.scope)) {
    event.respondWith(page(request))
  } else if (request.method === 'GET' && url.pathname.startsWith('/static/')) {
    event.respondWith(asset(request))
  }
})
