/** The control plane's public routes (/_emulator/*), as the page calls them: JSON in and out. */
export class ApiError extends Error {}

export async function api(method, path, body) {
  const init = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(json?.error_msg ?? `${method} ${path}: HTTP ${res.status}`);
  return json;
}

export const q = (params) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '' && value !== null) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

/**
 * Runs `load` when asked, but at most once per `interval` ms however often it is asked, and
 * never two at once: a burst of events costs one reload a second, not one each.
 */
export function throttled(load, interval = 1000) {
  let last = 0;
  let timer;
  let running = false;
  let again = false;
  const run = async () => {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = true;
    last = Date.now();
    try {
      await load();
    } catch (error) {
      window.dispatchEvent(new CustomEvent('dashboard-error', { detail: error }));
    } finally {
      running = false;
      if (again) {
        again = false;
        request();
      }
    }
  };
  const request = () => {
    if (timer !== undefined) return;
    timer = setTimeout(run, Math.max(0, last + interval - Date.now()));
  };
  return request;
}
