/*
 * "Báo cáo vi phạm" (anyone): a notice about a listing or a store, posted
 * to POST /reports {product_id | store_slug, reason, explanation, email?}
 * (the e-mail only when not signed in); the reference on success, the
 * API's message by its field, or without one (429 too many reports).
 * Loaded by the product and store pages on the first click, so it stays
 * out of the first load.
 */
import { useEffect, useState } from 'preact/hooks';
import { html, Field, FormError, useForm } from '../../ui.js';
import { api } from '../../api.js';
import { t } from '../../i18n.js';
import { me, useValue } from '../../state.js';
import { Select, TextArea } from '../bo.js';
import { CATEGORIES } from './strings.js';

export default function ReportForm({ productId, storeSlug, onClose }) {
	const m = useValue(me);
	const f = useForm({ reason: 'other', explanation: '', email: '' });
	const [ref, setRef] = useState(null);
	useEffect(() => { f.formRef.current?.querySelector('h2')?.focus(); }, []);
	function onSubmit(e) {
		e.preventDefault();
		f.submit(async (v) => {
			const body = { reason: v.reason };
			if (productId)
				body.product_id = Number(productId);
			else
				body.store_slug = storeSlug;
			if (v.explanation.trim())
				body.explanation = v.explanation.trim();
			if (!m && v.email.trim())
				body.email = v.email.trim();
			const r = await api('POST', '/reports', body);
			setRef(r.reference);
		}, 'rp-');
	}
	return html`<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="narrow report-form" aria-labelledby="h-rp">
		<h2 id="h-rp" tabindex="-1">${t('gs.rp.title')}</h2>
		${ref ? html`<p class="alert alert-ok" role="status">${t('gs.rp.done', { ref })}</p>` : html`
			<p class="muted">${t('gs.rp.intro')}</p>
			<${FormError} msg=${f.errors._} />
			<${Select} id="rp-reason" label=${t('gs.rp.reason')} value=${f.values.reason} onInput=${f.set('reason')}
			    err=${f.errors['rp-reason']} options=${CATEGORIES.map((c) => ({ value: c, label: t('gs.cat.' + c) }))} />
			<${TextArea} id="rp-explanation" label=${t('gs.rp.text')} value=${f.values.explanation}
			    onInput=${f.set('explanation')} err=${f.errors['rp-explanation']} rows="4" maxlength="2000" />
			${!m && html`<${Field} id="rp-email" type="email" label=${t('gs.rp.email')} hint=${t('gs.rp.email.hint')}
			    value=${f.values.email} onInput=${f.set('email')} err=${f.errors['rp-email']} autocomplete="email" />`}
			<div class="actions">
				<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('gs.rp.send')}</button>
				<button type="button" class="btn" onClick=${onClose}>${t('gs.rp.cancel')}</button>
			</div>`}
	</form>`;
}
