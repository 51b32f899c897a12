// Bundles src/ into dist/ with esbuild. Runtime dependencies are bundled so that an install pulls
// only the keychain binding (see README "Performance"); each command is its own lazily loaded chunk.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = await build({
  metafile: true,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  // Readable stack traces for bug reports: class and function names survive minification, and
  // `--debug` turns on the source maps (bin/kendis-jira.js), so frames name src/…ts lines.
  // The maps carry no sources (the package stays small); normal start-up never reads them.
  keepNames: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['@napi-rs/keyring'],
  define: { __VERSION__: JSON.stringify(pkg.version) },
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __kjCreateRequire } from 'node:module'; const require = __kjCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

// The bundled libraries' licences require their notices to ship with the code: list every package
// whose files went into dist/, with its licence text, in dist/THIRD_PARTY_NOTICES.md.
// fileURLToPath, not .pathname: on Windows that is /C:/…, which no file API accepts (prepare died there).
const root = fileURLToPath(new URL('..', import.meta.url));
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
  if (match && !packages.has(match[2])) packages.set(match[2], join(root, match[1]));
}
const sections = [...packages.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([name, dir]) => {
    const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `${meta.license ?? 'UNKNOWN'} (no licence file shipped with the package)`;
    return `## ${name} ${meta.version}\n\nLicence: ${meta.license ?? 'see below'}${meta.repository ? `  \nSource: ${typeof meta.repository === 'string' ? meta.repository : meta.repository.url}` : ''}\n\n\`\`\`\n${text}\n\`\`\`\n`;
  });
writeFileSync(
  join(root, 'dist', 'THIRD_PARTY_NOTICES.md'),
  `# Third-party notices\n\nkendis-jira bundles the following libraries into dist/. Their licences and notices follow.\n(@napi-rs/keyring is installed as a dependency, with its own licence.)\n\n${sections.join('\n')}`,
);
