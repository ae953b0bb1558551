/** The line ending a file uses, decided once per file view (fixes ask per finding; the scan is O(file)). */
const cache = new WeakMap<object, '\r\n' | '\n'>();

export function eolOf(file: { readonly text: string }): '\r\n' | '\n' {
  let eol = cache.get(file);
  if (eol === undefined) {
    eol = file.text.includes('\r\n') ? '\r\n' : '\n';
    cache.set(file, eol);
  }
  return eol;
}
