/*
 * Admins: the plans (the seeds' appendices) and one plan's appendix
 * table as the ledger sees it: every stated figure beside what its lines
 * add up to, the disagreements the importer found, progress by year and
 * source (planned, committed, disbursed, remaining) with a chart, and the
 * CSV for Excel.
 */
import { html, useTitle, useGet, Async, Money } from '../../ui.js';
import { formatMoney, formatDate } from '../../i18n.js';
import { tr } from './strings.js';

const srcName = (s) => (s ? tr('src.' + s) : tr('report.total'));
const yearName = (y) => (y == null ? tr('report.period') : String(y));

export function Plans() {
	useTitle(tr('plans.title'));
	const st = useGet('/admin/plans');
	return html`<h1 tabindex="-1">${tr('plans.title')}</h1>
		<nav class="ledger-nav" aria-label=${tr('plans.title')}>
			<a class="btn" href="/ho-tro/chuong-trinh">${tr('prog.title')}</a>
			<a class="btn" href="/ho-tro/cap-ho-tro">${tr('grants.title')}</a>
			<a class="btn" href="/ho-tro/duyet-chi">${tr('queue.title')}</a></nav>
		<${Async} state=${st}>${(d) => html`<div class="ledger-wrap" tabindex="0" role="region" aria-label=${tr('plans.title')}><table class="ledger-table">
			<thead><tr><th scope="col">${tr('plans.province')}</th><th scope="col">${tr('plans.plan')}</th>
			<th scope="col">${tr('plans.period')}</th><th scope="col" class="num">${tr('plans.planned')}</th>
			<th scope="col" class="num">${tr('plans.remaining')}</th><th scope="col" class="num">${tr('plans.disagreements')}</th></tr></thead>
			<tbody>${d.items.map((p) => html`<tr key=${p.id}>
				<td>${p.province}</td>
				<td><a href=${'/ho-tro/ke-hoach/' + p.id}>${p.title}</a>
				    ${p.decision_no && html` <span class="muted">(${p.decision_no})</span>`}
				    ${p.status === 'draft' && html` <span class="badge">${tr('plans.draft')}</span>`}</td>
				<td>${p.period_from}–${p.period_to}</td>
				<td class="num"><${Money} vnd=${p.planned_vnd} /></td>
				<td class="num"><${Money} vnd=${p.remaining_vnd} /></td>
				<td class="num">${p.disagreements}</td>
			</tr>`)}</tbody></table></div>`}<//>`;
}

/* Columns of the appendix: (year, source) pairs in the report's order. */
function columns(lines) {
	const seen = new Map();
	for (const l of lines)
		for (const c of l.cells) {
			const k = `${c.year}|${c.source}`;
			if (!seen.has(k))
				seen.set(k, { year: c.year, source: c.source });
		}
	const rank = (s) => ['provincial', 'central', 'business', 'other'].indexOf(s) + 1 || 9;
	return [...seen.values()].sort((a, b) => (a.year ?? 9999) - (b.year ?? 9999) || rank(a.source) - rank(b.source));
}

function Cell({ c }) {
	if (!c)
		return html`<td></td>`;
	const shown = c.stated_vnd ?? c.computed_vnd;
	const bad = c.stated_vnd != null && c.stated_vnd !== c.computed_vnd;
	const diff = c.revision_difference_vnd || 0;
	return html`<td class=${'num' + (bad ? ' ledger-bad' : '') + (diff ? ' ledger-revised' : '')}>${formatMoney(shown)}
		${bad && html`<br /><span class="field-error">${tr('report.computed')} ${formatMoney(c.computed_vnd)}</span>`}
		${diff !== 0 && html`<br /><span class="muted">${tr('rev.revised')} ${formatMoney(c.revised_vnd)}
		    (${diff > 0 ? '+' : '−'}${formatMoney(Math.abs(diff))})</span>`}</td>`;
}

/* Bars (SVG, no inline styles): planned, committed, disbursed per column. */
function Chart({ cells }) {
	const rows = cells.filter((c) => c.source && c.planned_vnd > 0);
	if (rows.length === 0)
		return null;
	const max = Math.max(...rows.map((c) => c.planned_vnd));
	const h = 18, gap = 10, w = 300, left = 130;
	return html`<figure class="ledger-chart">
		<figcaption>${tr('report.chart')}</figcaption>
		<svg viewBox=${`0 0 ${left + w + 10} ${rows.length * (3 * h + gap)}`} role="img" aria-label=${tr('report.chart')}>
		${rows.map((c, i) => {
			const y = i * (3 * h + gap);
			const bar = (v, k, fill) => html`<rect x=${left} y=${y + k * h} height=${h - 3}
			    width=${Math.max(1, Math.round(w * v / max))} fill=${fill}><title>${formatMoney(v)}</title></rect>`;
			return html`<g key=${i}><text x="0" y=${y + h + 4} font-size="12">${yearName(c.year)} · ${srcName(c.source)}</text>
				${bar(c.planned_vnd, 0, '#1f5fa8')}${bar(c.committed_vnd, 1, '#b86e00')}${bar(c.disbursed_vnd, 2, '#137a3a')}</g>`;
		})}</svg>
		<p class="muted"><span class="ledger-key ledger-key-plan"></span> ${tr('plans.planned')}
		 · <span class="ledger-key ledger-key-commit"></span> ${tr('report.committed')}
		 · <span class="ledger-key ledger-key-paid"></span> ${tr('report.disbursed')}</p>
	</figure>`;
}

/* The plan's amendments, oldest first: each change before, after, difference. */
function Revisions({ list }) {
	return html`<h2>${tr('rev.list')}</h2>
		${list.length === 0 ? html`<p>${tr('rev.none')}</p>` : list.map((r) => html`<section key=${r.id}>
		<h3>${r.decision_no} · ${formatDate(r.decision_date)}</h3><p>${r.reason}</p>
		<div class="ledger-wrap" tabindex="0" role="region" aria-label=${r.decision_no}><table class="ledger-table">
			<thead><tr><th scope="col">${tr('report.line')}</th><th scope="col">${tr('grants.year')}</th><th scope="col">${tr('report.source')}</th>
			<th scope="col" class="num">${tr('rev.before')}</th><th scope="col" class="num">${tr('rev.after')}</th>
			<th scope="col" class="num">${tr('rev.difference')}</th></tr></thead>
			<tbody>${r.changes.map((c, i) => html`<tr key=${i}><td>${c.line_code}</td><td>${yearName(c.year)}</td><td>${srcName(c.source)}</td>
				<td class="num"><${Money} vnd=${c.before_vnd} /></td><td class="num"><${Money} vnd=${c.revised_vnd} /></td>
				<td class="num"><${Money} vnd=${c.difference_vnd} /></td></tr>`)}</tbody></table></div></section>`)}`;
}

export function PlanReport({ params }) {
	const st = useGet('/admin/plans/' + params.id + '/report');
	useTitle(st.data ? st.data.plan.title : tr('plans.title'));
	return html`<${Async} state=${st}>${(d) => {
		const cols = columns(d.lines);
		const total = d.lines.find((l) => l.kind === 'total');
		return html`<h1 tabindex="-1">${d.plan.title}</h1>
		<p class="muted">${d.plan.province} · ${d.plan.decision_no || tr('plans.draft')}
		    ${d.plan.decision_date && ' · ' + d.plan.decision_date} · ${d.plan.appendix} (${d.plan.unit_label})</p>
		<p><a class="btn" href=${'/api/v1/admin/plans/' + d.plan.id + '/report?format=csv'} download>${tr('report.csv')}</a>
		    ${' '}<a class="btn" href=${'/ho-tro/ke-hoach/' + d.plan.id + '/dieu-chinh'}>${tr('rev.title')}</a></p>
		${d.disagreements.length ? html`<div class="alert alert-error" role="note"><p>${tr('report.found')}</p><ul>
			${d.disagreements.map((x, i) => html`<li key=${i}>${x.line} · ${yearName(x.year)} · ${srcName(x.source)}${x.stated_in !== 'appendix' ? ` (${x.stated_in})` : ''}:
			    ${tr('report.stated')} ${formatMoney(x.stated_vnd)}, ${tr('report.computed')} ${formatMoney(x.computed_vnd)}</li>`)}
		</ul></div>` : html`<p class="alert alert-ok">${tr('report.none')}</p>`}
		<div class="ledger-wrap" tabindex="0" role="region" aria-label=${d.plan.appendix}><table class="ledger-table">
			<thead><tr><th scope="col">${tr('report.line')}</th><th scope="col">${tr('report.content')}</th>
			${cols.map((c, i) => html`<th scope="col" class="num" key=${i}>${yearName(c.year)}<br />${srcName(c.source)}</th>`)}</tr></thead>
			<tbody>${d.lines.map((l) => html`<tr key=${l.id} class=${l.level <= 1 ? 'ledger-head' : ''}>
				<td>${l.printed_code || l.code || ''}</td>
				<th scope="row">${l.title}</th>
				${cols.map((c, i) => html`<${Cell} key=${i} c=${l.cells.find((x) => x.year === c.year && x.source === c.source)} />`)}
			</tr>`)}</tbody></table></div>
		${total && html`<h2>${tr('report.progress')}</h2>
		<div class="ledger-wrap" tabindex="0" role="region" aria-label=${tr('report.progress')}><table class="ledger-table">
			<thead><tr><th scope="col">${tr('grants.year')}</th><th scope="col">${tr('report.source')}</th>
			<th scope="col" class="num">${tr('plans.planned')}</th><th scope="col" class="num">${tr('report.committed')}</th>
			<th scope="col" class="num">${tr('report.disbursed')}</th><th scope="col" class="num">${tr('plans.remaining')}</th></tr></thead>
			<tbody>${total.cells.map((c, i) => html`<tr key=${i}><td>${yearName(c.year)}</td><td>${srcName(c.source)}</td>
				<td class="num"><${Money} vnd=${c.planned_vnd} /></td><td class="num"><${Money} vnd=${c.committed_vnd} /></td>
				<td class="num"><${Money} vnd=${c.disbursed_vnd} /></td><td class="num"><${Money} vnd=${c.remaining_vnd} /></td></tr>`)}</tbody>
		</table></div>
		<${Chart} cells=${total.cells} />`}
		<${Revisions} list=${d.revisions} />`;
	}}<//>`;
}
