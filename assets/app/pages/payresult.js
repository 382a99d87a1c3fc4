/*
 * VNPay sends the buyer back here (/thanh-toan/ket-qua?vnp_…).  The
 * query proves nothing (the IPN does): say what VNPay said and show the
 * orders, whose status comes from the server.
 */
import { html, useTitle } from '../ui.js';
import { t } from '../i18n.js';

export default function PayResult({ query }) {
	useTitle(t('payresult.title'));
	const code = query.get('vnp_ResponseCode');
	const ok = code === '00';
	return html`<section class="narrow">
		<h1 tabindex="-1">${t('payresult.title')}</h1>
		<p class=${ok ? 'alert alert-ok' : 'alert alert-error'} role="status">
			${ok ? t('payresult.ok') : t('payresult.fail')}</p>
		<p><a class="btn btn-primary" href="/don-hang">${t('checkout.see_orders')}</a></p>
	</section>`;
}
