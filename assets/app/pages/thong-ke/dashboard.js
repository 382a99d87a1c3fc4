/*
 * "Thống kê" (officials and admins): the year's indicators against their
 * plan targets (GET /official/stats/indicators) as cards, and one
 * indicator's series by month, province or ward
 * (GET /official/stats/series/{code}) as a uPlot chart with its table,
 * and the CSV export (small breakdowns suppressed by the server).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { html, useTitle, useGet, Async } from '../../ui.js';
import { t, localName, formatMoney, formatDateTime, lang } from '../../i18n.js';
import { s } from './strings.js';

function figure(unit, v) {
	if (v === null || v === undefined)
		return '—';
	if (unit === 'vnd')
		return formatMoney(v);
	if (unit === 'percent')
		return Number(v).toLocaleString('vi-VN', { maximumFractionDigits: 2 }) + ' %';
	return Number(v).toLocaleString('vi-VN');
}

function Card({ it }) {
	const st = it.status;
	/* Shares by value count đồng, the others orders or businesses. */
	const part = it.code.includes('value') ? 'vnd' : 'count';
	return html`<li class=${'stat-card' + (st ? ' stat-' + st : '')}>
		<h3>${localName(it)}</h3>
		<p class="stat-value">${figure(it.unit, it.value)}</p>
		${it.denominator_value !== null && it.denominator_value !== undefined &&
		    html`<p class="muted">${figure(part, it.numerator_value)} / ${figure(part, it.denominator_value)}</p>`}
		${it.target ? html`<p>${s('target')}: ${figure(it.unit, it.target.value)} (${it.target.year})
			<span class="muted"> · ${it.target.plan}</span></p>` : html`<p class="muted">${s('no_target')}</p>`}
		${st && html`<p class=${'badge badge-' + st}>${s(st)}</p>`}
	</li>`;
}

/* A series' keys are months or unit codes; places show their name. */
function label(d, i) {
	return (d.name && d.name[i]) || d.key[i];
}

function Chart({ data }) {
	const box = useRef(null);
	useEffect(() => {
		if (!box.current || !data || data.key.length === 0)
			return undefined;
		const xs = data.key.map((_, i) => i);
		const w = Math.max(300, Math.min(box.current.clientWidth || 600, 900));
		const plot = new uPlot({
			width: w, height: 260,
			legend: { show: false },
			scales: { x: { time: false } },
			axes: [{ values: (u, vals) => vals.map((v) => label(data, v) ?? '') },
			    { size: 70 }],
			series: [{}, { label: data.code, stroke: '#0b6e4f', width: 2,
			    fill: 'rgba(11,110,79,0.12)', points: { show: true } }],
		}, [xs, data.value.map((v) => (v === null ? null : Number(v)))], box.current);
		return () => plot.destroy();
	}, [data]);
	return html`<div ref=${box} class="stat-chart" role="img" aria-label=${s('chart_label')}></div>`;
}

function Series({ items }) {
	const codes = items.filter((i) => i.kind === 'flow');
	const [code, setCode] = useState(codes.length ? codes[0].code : 'orders');
	const [by, setBy] = useState('month');
	const path = `/official/stats/series/${code}?by=${by}`;
	const st = useGet(path);
	const unit = (items.find((i) => i.code === code) || {}).unit;
	return html`<section aria-labelledby="series-h">
		<h2 id="series-h">${s('series')}</h2>
		<div class="stat-controls">
			<label for="series-code">${s('indicator')}</label>
			<select id="series-code" value=${code} onChange=${(e) => setCode(e.target.value)}>
				${items.map((i) => html`<option value=${i.code}>${localName(i)}</option>`)}
			</select>
			<label for="series-by">${s('by')}</label>
			<select id="series-by" value=${by} onChange=${(e) => setBy(e.target.value)}>
				<option value="month">${s('by_month')}</option>
				<option value="province">${s('by_province')}</option>
				<option value="ward">${s('by_ward')}</option>
			</select>
			<a class="btn" href=${'/api/v1' + path + '&format=csv'} download>${s('csv')}</a>
		</div>
		<${Async} state=${st}>${(d) => html`
			<${Chart} data=${d} />
			<table class="stat-table">
				<caption class="sr-only">${s('series')}</caption>
				<thead><tr><th scope="col">${s('key')}</th><th scope="col">${s('value')}</th>
				    <th scope="col">${s('businesses')}</th></tr></thead>
				<tbody>${d.key.map((k, i) => html`<tr key=${k}>
					<th scope="row">${label(d, i)}</th><td>${figure(unit, d.value[i])}</td>
					<td>${d.businesses[i]}${d.suppressed[i] ? html` <span class="muted">(${s('suppressed')})</span>` : ''}</td>
				</tr>`)}</tbody>
			</table>`}
		<//>
	</section>`;
}

export default function Dashboard({ query }) {
	useTitle(s('title'));
	const year = query && query.get('nam');
	const st = useGet('/official/stats/indicators' + (year ? '?year=' + encodeURIComponent(year) : ''));
	return html`<h1 tabindex="-1">${s('title')}</h1>
		<${Async} state=${st}>${(d) => html`
			<p class="muted">${s('year')} ${d.year} · ${s('as_of')} ${formatDateTime(d.as_of)}
			    ${d.sme_count && html` · ${s('sme')}: ${figure('count', d.sme_count.count)} (${d.sme_count.source})`}</p>
			<ul class="stat-cards">${d.items.map((it) => html`<${Card} key=${it.code} it=${it} />`)}</ul>
			<${Series} items=${d.items} />`}
		<//>`;
}
