/* Admins: payments above the threshold waiting for a second admin. */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Money, ErrorBox } from '../../ui.js';
import { api } from '../../api.js';
import { formatDate } from '../../i18n.js';
import { tr } from './strings.js';

function Pending({ d, reload }) {
	const [err, setErr] = useState(null);
	const [reason, setReason] = useState('');
	const [busy, setBusy] = useState(false);
	async function decide(action) {
		setBusy(true);
		setErr(null);
		try {
			await api('POST', `/admin/disbursements/${d.id}/${action}`, action === 'reject' ? { reason } : {});
			reload();
		} catch (e) {
			setErr(e);
		} finally {
			setBusy(false);
		}
	}
	const rid = 'reason-' + d.id;
	return html`<li class="line">
		<div class="line-main"><strong>#${d.id} · ${d.business}</strong>
			<span class="muted">${d.programme} · ${formatDate(d.paid_on)} · ${d.voucher_no} · ${tr('queue.maker', { id: d.maker_id })}</span>
			<${ErrorBox} error=${err} />
			<div class="field"><label for=${rid}>${tr('queue.reason')}</label>
			<input id=${rid} value=${reason} maxlength="500" onInput=${(e) => setReason(e.currentTarget.value)} /></div>
			<p><button type="button" class="btn btn-primary" disabled=${busy} onClick=${() => decide('approve')}>${tr('queue.approve')}</button>
			<button type="button" class="btn" disabled=${busy} onClick=${() => decide('reject')}>${tr('queue.reject')}</button></p>
		</div>
		<div class="line-total"><${Money} vnd=${d.amount_vnd} /></div>
	</li>`;
}

export default function Approvals() {
	useTitle(tr('queue.title'));
	const st = useGet('/admin/disbursements?status=pending');
	return html`<h1 tabindex="-1">${tr('queue.title')}</h1>
		<${Async} state=${st}>${(d) => (d.items.length === 0 ? html`<p>${tr('queue.none')}</p>` :
		    html`<ul class="lines">${d.items.map((x) => html`<${Pending} key=${x.id} d=${x} reload=${st.reload} />`)}</ul>`)}<//>`;
}
