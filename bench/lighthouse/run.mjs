/*
 * Lighthouse (mobile: the default config's emulated phone and simulated
 * slow 4G) in Debian's Chromium on the web app's home, search results
 * and a product page of the server at argv[2].  Prints one line a page:
 *   lighthouse <page> performance=N accessibility=N best_practices=N seo=N
 * (scores 0-100) and writes each report's JSON next to LH_OUT (if set).
 * Run by scripts/lighthouse.sh (make bench); not a test.
 */
import { writeFileSync } from 'node:fs';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const base = (process.argv[2] || 'http://127.0.0.1:8888').replace(/\/+$/, '');
const res = await fetch(base + '/api/v1/products?limit=1&sort=newest');
const first = (await res.json()).items[0];
const pages = [
	['home', base + '/'],
	['search', base + '/tim-kiem?q=banh+trang'],
	['product', base + '/san-pham/' + (first ? first.id : 1)],
];
const chrome = await chromeLauncher.launch({
	chromePath: process.env.SAN_CHROMIUM || '/usr/bin/chromium',
	chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run',
	    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let bad = 0;
try {
	for (const [name, url] of pages) {
		const r = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error',
		    onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'] });
		const c = r.lhr.categories;
		const s = (k) => Math.round((c[k].score || 0) * 100);
		console.log(`lighthouse ${name} performance=${s('performance')} accessibility=${s('accessibility')}` +
		    ` best_practices=${s('best-practices')} seo=${s('seo')}` +
		    ` lcp_ms=${Math.round(r.lhr.audits['largest-contentful-paint'].numericValue)}` +
		    ` tbt_ms=${Math.round(r.lhr.audits['total-blocking-time'].numericValue)}`);
		if (process.env.LH_OUT)
			writeFileSync(`${process.env.LH_OUT}-${name}.json`, r.report);
	}
} catch (e) {
	console.error('lighthouse: ' + (e && e.message || e));
	bad = 1;
} finally {
	await chrome.kill();
}
process.exit(bad);
