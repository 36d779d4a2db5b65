/**
 * The page served at GET /subgraphs/name/<name>/graphql. graph-node serves GraphiQL from a CDN;
 * this machine (and many CI runners) is offline and GraphiQL is not a dependency, so this is a
 * small self-contained query page: editor, variables, run (Ctrl/Cmd+Enter), result, and the
 * generated schema for reference. No external requests.
 */
export function queryPage(options: { name: string; endpoint: string; schemaSdl: string }): string {
  const escape = (text: string): string =>
    text
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;');
  const initial =
    '{\n  _meta {\n    block { number hash timestamp }\n    deployment\n    hasIndexingErrors\n  }\n}\n';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(options.name)} · GraphQL</title>
<style>
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: #fafafa; color: #222; }
  header { padding: 8px 16px; background: #1f2937; color: #fff; display: flex; gap: 16px; align-items: center; }
  header h1 { font-size: 16px; margin: 0; font-weight: 600; }
  main { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; padding: 12px; height: calc(100vh - 64px); box-sizing: border-box; }
  section { display: flex; flex-direction: column; gap: 8px; min-height: 0; }
  textarea, pre { font: 13px/1.45 ui-monospace, monospace; border: 1px solid #ccc; border-radius: 4px; padding: 8px; background: #fff; margin: 0; }
  #query { flex: 3; resize: none; } #variables { flex: 1; resize: none; }
  #result { flex: 1; overflow: auto; white-space: pre-wrap; }
  button { padding: 6px 14px; font-weight: 600; cursor: pointer; }
  details pre { max-height: 40vh; overflow: auto; }
</style>
</head>
<body>
<header><h1>${escape(options.name)}</h1><span>POST ${escape(options.endpoint)}</span>
<button id="run" type="button" title="Ctrl/Cmd+Enter">Run ▶</button></header>
<main>
<section>
  <label for="query">Query</label>
  <textarea id="query" spellcheck="false">${escape(initial)}</textarea>
  <label for="variables">Variables (JSON)</label>
  <textarea id="variables" spellcheck="false">{}</textarea>
</section>
<section>
  <label for="result">Result</label>
  <pre id="result" aria-live="polite"></pre>
  <details><summary>Schema</summary><pre>${escape(options.schemaSdl)}</pre></details>
</section>
</main>
<script>
  const endpoint = ${JSON.stringify(options.endpoint)};
  const result = document.getElementById('result');
  async function run() {
    let variables = {};
    try { variables = JSON.parse(document.getElementById('variables').value || '{}'); }
    catch (e) { result.textContent = 'Variables are not valid JSON: ' + e.message; return; }
    result.textContent = '…';
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: document.getElementById('query').value, variables }),
    });
    result.textContent = JSON.stringify(await response.json(), null, 2);
  }
  document.getElementById('run').addEventListener('click', run);
  document.addEventListener('keydown', (e) => { if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') run(); });
</script>
</body>
</html>
`;
}
