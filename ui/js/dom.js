/** Elements built from text only: values are never parsed as HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  return node;
}

/** An SVG element, attributes as given (numbers and fixed names only), text as text. */
export function svg(tag, attrs = {}, text) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

export const $ = (selector) => document.querySelector(selector);

/** A time of the emulated clock as the page shows it (UTC, to the second). */
export function formatTime(ms) {
  if (!ms) return '—';
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export function formatDuration(ms) {
  const s = Math.round(ms / 1000);
  if (Math.abs(s) < 60) return `${s} s`;
  if (Math.abs(s) < 3600) return `${Math.floor(s / 60)} min ${Math.abs(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor(Math.abs(s % 3600) / 60)} min`;
}
