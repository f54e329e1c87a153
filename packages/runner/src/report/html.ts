/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * JSON for a `<script type="application/json">` block. Every `<` becomes `\u003c` (still the same
 * JSON string), so neither `</script>` nor `<!--` inside a value can end or alter the block.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * Third-party code or CSS for an inline `<script>`/`<style>`: a literal `</script` or `</style`
 * (only possible inside a string or comment there) would close the element early.
 */
export function inlineSafe(code: string, tag: 'script' | 'style'): string {
  return code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}
