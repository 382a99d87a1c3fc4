/*
 * Transparency (/giam-sat/minh-bach, officials): the figures of the
 * decisions taken in a period (GET /official/transparency?from=&to=):
 * by category, source and measure, time to decision, deadlines met,
 * appeals and reversals, each rule's precision; a uPlot bar chart of the
 * decisions by category; the same rows as CSV (format=csv).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { html, useTitle, useGet, Async, Field } from '../../ui.js';
import { qs } from '../../api.js';
import { t, formatDate } from '../../i18n.js';
import { navigate } from '../../router.js';
import { MonNav } from './cases.js';
import './strings.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function rowLabel(r) {
	if (r.section === 'category')
		return t('gs.cat.' + r.key);
	if (r.section === 'source')
		return t('gs.source.' + r.key);
	if (r.section === 'action')
		return t('gs.action.' + r.key);
	if (r.section === 'rule')
		return r.label || '#' + r.key;
	return t('gs.tr.key.' + r.key);
}

function value(r) {
	if (r.value === null || r.value === undefined)
		return '—';
	if (r.section === 'time_to_decision_hours')
		return Number(r.value).toLocaleString('vi-VN', { maximumFractionDigits: 2 });
	return Number(r.value * 100).toLocaleString('vi-VN', { maximumFractionDigits: 2 }) + ' %';
}

function Chart({ rows }) {
	const box = useRef(null);
	useEffect(() => {
		if (!box.current || rows.length === 0)
			return undefined;
		const w = Math.max(300, Math.min(box.current.clientWidth || 600, 900));
		const labels = rows.map(rowLabel);
		const plot = new uPlot({
			width: w, height: 240, legend: { show: false },
			scales: { x: { time: false, range: [-0.5, rows.length - 0.5] } },
			axes: [{ values: (u, vals) => vals.map((v) => (Number.isInteger(v) ? labels[v] ?? '' : '')),
			    incrs: [1], rotate: -30, size: 110 },
			    { size: 50, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 100000] }],
			series: [{}, { label: t('gs.tr.col.count'), stroke: '#0b6e4f', fill: 'rgba(11,110,79,0.35)',
			    width: 1, paths: uPlot.paths.bars({ size: [0.6, 60] }), points: { show: false } }],
		}, [rows.map((_, i) => i), rows.map((r) => Number(r.count))], box.current);
		return () => plot.destroy();
	}, [rows]);
	return html`<div ref=${box} class="stat-chart" role="img" aria-label=${t('gs.tr.chart')}></div>`;
}

function Section({ name, rows }) {
	return html`<section aria-labelledby=${'h-tr-' + name}>
		<h2 id=${'h-tr-' + name}>${t('gs.tr.sec.' + name)}</h2>
		<table class="stat-table">
			<thead><tr><th scope="col">${t('gs.tr.col.key')}</th><th scope="col">${t('gs.tr.col.count')}</th>
			    <th scope="col">${t('gs.tr.col.total')}</th><th scope="col">${t('gs.tr.col.value')}</th></tr></thead>
			<tbody>${rows.map((r) => html`<tr key=${r.key}><th scope="row">${rowLabel(r)}</th>
			    <td>${r.count}</td><td>${r.total}</td><td>${value(r)}</td></tr>`)}</tbody>
		</table>
	</section>`;
}

const SECTIONS = ['category', 'source', 'action', 'time_to_decision_hours', 'deadlines', 'appeals', 'rule'];

export default function Transparency({ query }) {
	useTitle(t('gs.tr.title'));
	const q = { from: DATE.test(query.get('from') || '') ? query.get('from') : '',
	    to: DATE.test(query.get('to') || '') ? query.get('to') : '' };
	const [from, setFrom] = useState(q.from);
	const [to, setTo] = useState(q.to);
	const st = useGet('/official/transparency' + qs(q));
	function onSubmit(e) {
		e.preventDefault();
		navigate('/giam-sat/minh-bach' + qs({ from, to }), { replace: true, keepFocus: true });
	}
	return html`<h1 tabindex="-1">${t('gs.tr.title')}</h1>
		<${MonNav} />
		<form class="toolbar" onSubmit=${onSubmit}>
			<${Field} id="tr-from" type="date" label=${t('gs.tr.from')} value=${from} onInput=${setFrom} />
			<${Field} id="tr-to" type="date" label=${t('gs.tr.to')} value=${to} onInput=${setTo} />
			<button type="submit" class="btn">${t('gs.tr.show')}</button>
		</form>
		<${Async} state=${st}>${(d) => html`
			<p><strong>${formatDate(d.from)} – ${formatDate(d.to)}</strong>${' · '}${t('gs.tr.decisions', { n: d.decisions ?? 0 })}${' · '}<a href=${'/api/v1/official/transparency' + qs({ from: d.from, to: d.to, format: 'csv' })} download>${t('gs.tr.csv')}</a></p>
			<${Chart} rows=${d.rows.filter((r) => r.section === 'category')} />
			${SECTIONS.map((s) => {
				const rows = d.rows.filter((r) => r.section === s);
				return rows.length > 0 && html`<${Section} key=${s} name=${s} rows=${rows} />`;
			})}`}
		<//>`;
}
