// The house rule (ARCHITECTURE.md): no function in src/ longer than 60 lines, counting every line
// of its body that is not blank or only a comment. Measured with the TypeScript compiler API.
// Declarative tables are exempt by name below, each with its reason. `npm test` runs this.
import ts from 'typescript';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAX_LINES = 60;

/** `file:function`: a declaration list, not a decision. */
export const EXEMPT = new Map([['src/program.ts:buildProgram', "commander's command and option declarations, one after another"]]);

const root = fileURLToPath(new URL('..', import.meta.url));

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

/** Lines of a body that say something: neither blank nor only a comment. */
function codeLines(text) {
  let inBlock = false;
  let count = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (inBlock) {
      if (line.includes('*/')) inBlock = false;
      continue;
    }
    if (line === '' || line.startsWith('//')) continue;
    if (line.startsWith('/*')) {
      inBlock = !line.includes('*/');
      continue;
    }
    count += 1;
  }
  return count;
}

function nameOf(node) {
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText();
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  return '(anonymous)';
}

export function longFunctions(dir = join(root, 'src')) {
  const found = [];
  for (const file of sources(dir)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const where = relative(root, file).replaceAll('\\', '/');
    const visit = (node) => {
      if (ts.isFunctionLike(node) && node.body) {
        const lines = codeLines(node.body.getText(source));
        const name = nameOf(node);
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        if (lines > MAX_LINES && !EXEMPT.has(`${where}:${name}`)) found.push({ where: `${where}:${line}`, name, lines });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found.sort((a, b) => b.lines - a.lines);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const found = longFunctions();
  for (const f of found) console.error(`${f.where}  ${f.name}: ${f.lines} lines (the limit is ${MAX_LINES})`);
  if (found.length) {
    console.error(`${found.length} function(s) over ${MAX_LINES} lines: split them (ARCHITECTURE.md, "House rules").`);
    process.exit(1);
  }
  console.log(`function length: every function in src/ is at most ${MAX_LINES} lines.`);
}
