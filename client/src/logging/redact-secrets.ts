/**
 * Client-side secret scrubbing for anything the extension logs or shows: the server already
 * redacts its messages, this is the second net for what passes through the client (errors of
 * requests, messages built here). Pure: no vscode import.
 */

/** Replaces `scheme://user:secret@` userinfo, and every known secret (raw and percent-encoded), with `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
  for (const secret of secrets) {
    // Very short secrets would blank out ordinary words; the userinfo rule above still covers URLs.
    if (secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}
