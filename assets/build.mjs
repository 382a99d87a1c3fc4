/*
 * Bundle the web app (app/) into OUT (default ../build/web): main-HASH.js
 * (+ chunk-HASH.js for routes with load()), style-HASH.css, index.html
 * naming them, and a .gz of each.  Prints the gzipped size of the first
 * load (index.html's JS with its static imports, and CSS) and exits 1
 * when it exceeds the budget.  Run by scripts/build-web.sh.
 */
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync, rmSync, mkdirSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] || join(here, '..', 'build', 'web');
const BUDGET = 100 * 1024;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const res = await esbuild.build({
	absWorkingDir: here,
	entryPoints: { main: 'app/main.js', style: 'app/style.css' },
	bundle: true,
	splitting: true,
	format: 'esm',
	minify: true,
	target: ['es2020', 'chrome80', 'firefox78', 'safari14'],
	entryNames: '[name]-[hash]',
	chunkNames: 'chunk-[hash]',
	outdir: out,
	metafile: true,
	legalComments: 'none',
	logLevel: 'warning',
});

const outs = res.metafile.outputs;
const name = (p) => basename(p);
let js = null, css = null;
for (const [p, o] of Object.entries(outs)) {
	if (o.entryPoint === 'app/main.js')
		js = p;
	else if (o.entryPoint === 'app/style.css' && p.endsWith('.css'))
		css = p;
}
/* The first load: main and what it imports statically, transitively. */
const first = new Set([css]);
(function walk(p) {
	if (first.has(p))
		return;
	first.add(p);
	for (const i of outs[p].imports)
		if (i.kind === 'import-statement' && outs[i.path])
			walk(i.path);
})(js);

const html = readFileSync(join(here, 'app', 'index.html'), 'utf8')
    .replaceAll('@JS@', name(js)).replaceAll('@CSS@', name(css));
writeFileSync(join(out, 'index.html'), html);

let total = gzipSync(html, { level: 9 }).length;
for (const f of readdirSync(out)) {
	const buf = readFileSync(join(out, f));
	const gz = gzipSync(buf, { level: 9 });
	writeFileSync(join(out, f + '.gz'), gz);
	if ([...first].some((p) => name(p) === f)) {
		total += gz.length;
		console.log(`  ${f}: ${buf.length} bytes, ${gz.length} gzipped`);
	}
}
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
console.log(`web: first load ${kb(total)} gzipped (index.html + JS + CSS), budget ${kb(BUDGET)}` +
    ` -> ${relative(process.cwd(), out) || '.'}`);
if (total > BUDGET) {
	console.error('web: over the first-load budget');
	process.exit(1);
}
