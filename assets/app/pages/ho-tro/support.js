/* Merchants: "Hỗ trợ của doanh nghiệp": what each of the account's
 * businesses received, grant by grant, with its payments. */
import { html, useTitle, useGet, Async, Money } from '../../ui.js';
import { formatDate } from '../../i18n.js';
import { tr } from './strings.js';

function Business({ b }) {
	const st = useGet('/businesses/' + b.id + '/support');
	return html`<section><h2>${b.name}</h2>
		<${Async} state=${st}>${(d) => html`
		${d.totals.length > 0 && html`<ul class="lines">${d.totals.map((x) => html`<li key=${x.source} class="line">
			<div class="line-main"><strong>${tr('src.' + x.source)}</strong>
			<span class="muted">${tr('support.waiting')}: ${' '}<${Money} vnd=${(x.committed_vnd || 0) + (x.pending_vnd || 0)} /></span></div>
			<div class="line-total">${tr('support.paid')}: <${Money} vnd=${x.disbursed_vnd || 0} /></div></li>`)}</ul>`}
		${d.grants.length === 0 ? html`<p>${tr('support.none')}</p>` : html`<ul class="lines">${d.grants.map(({ grant: g, disbursements: ds }) => html`
			<li key=${g.id} class="line"><div class="line-main"><strong>${g.programme}</strong>
				<span class="muted">${g.year} · ${g.decision_no} · ${tr('status.' + g.status)}</span>
				${ds.map((x) => html`<span class="muted" key=${x.id}>${formatDate(x.paid_on)} · ${x.voucher_no} · ${tr('status.' + x.status)} · <${Money} vnd=${x.amount_vnd} /></span>`)}
			</div><div class="line-total"><${Money} vnd=${g.amount_vnd} /></div></li>`)}</ul>`}`}<//>
	</section>`;
}

export default function Support() {
	useTitle(tr('support.title'));
	const me = useGet('/me');
	return html`<h1 tabindex="-1">${tr('support.title')}</h1>
		<${Async} state=${me}>${(d) => (d.businesses && d.businesses.length > 0
		    ? d.businesses.map((b) => html`<${Business} key=${b.id} b=${b} />`)
		    : html`<p>${tr('support.nobiz')}</p>`)}<//>`;
}
