/** The small page the browser tab shows after the redirect. No secret is ever part of it. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function resultPage(ok: boolean, title: string, detail: string): string {
  const color = ok ? '#1f845a' : '#c9372c';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>kendis-jira: ${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#172b4d}
h1{color:${color};font-size:1.4rem}p{line-height:1.5}</style></head>
<body><h1>${ok ? '✔' : '✖'} ${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>
<p><strong>Return to the terminal</strong> to continue. You can close this tab.</p></body></html>`;
}
