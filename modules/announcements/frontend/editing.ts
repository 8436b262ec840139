// Helpers of the editor: plain paragraphs to HTML and back (the server sanitises whatever it
// gets), numeric ids of a stored audience to Relay IDs, files to Base64.

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Text typed as paragraphs becomes <p>…</p>; text that already is HTML is sent as it is. */
export function bodyToHtml(body: string): string {
  if (/<\/?[a-z][\s\S]*>/i.test(body)) return body;
  return body
    .split(/\n{2,}|\r\n\r\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escape(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** The stored HTML for editing: simple paragraphs go back to plain text. */
export function htmlToBody(html: string): string {
  const simple = /^(<p>[^<]*(<br>[^<]*)*<\/p>)*$/.test(html);
  if (!simple) return html;
  const text = html.replace(/<\/p><p>/g, '\n\n').replace(/<br>/g, '\n').replace(/<\/?p>/g, '');
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function relayIds(type: string, ids: unknown): string[] {
  return Array.isArray(ids) ? ids.map((n) => btoa(`${type}:${n}`)) : [];
}

export function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
