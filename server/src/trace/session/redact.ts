/**
 * Keeps database secrets out of messages: every error or log line of a trace against a configured
 * database passes through `redact` before anyone sees it.
 */

/** The password of a `postgres://user:password@host/db` URL, decoded; undefined when there is none. */
export function passwordOf(url: string): string | undefined {
  try {
    const p = new URL(url).password;
    return p ? decodeURIComponent(p) : undefined;
  } catch {
    // Not a URL the WHATWG parser accepts: take what sits between the first ':' after '//' and '@'.
    const m = /\/\/[^:/@]*:([^@]*)@/.exec(url);
    return m?.[1] || undefined;
  }
}

/** Where a URL points, without credentials: `host:port/database`. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname || '/'}`;
  } catch {
    return '(unparsable database URL)';
  }
}

/** Replaces the URL's password (raw and percent-encoded) and any `scheme://user:secret@` userinfo in `text`. */
export function redact(text: string, url: string | undefined): string {
  let out = text.replace(/(\w+:\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');
  const secret = url ? passwordOf(url) : undefined;
  if (secret) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}
