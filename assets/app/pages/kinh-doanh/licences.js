/*
 * Merchant: the licence register of a business (/kinh-doanh/doanh-nghiep/
 * :id/giay-phep, issue 10): its licences and certificates for conditional
 * categories with their state today, the form to add one (the API's
 * message by its field) and withdrawal.  A listing in a conditional
 * category without a valid licence may be held for review by the
 * department's rules.  API: GET|POST /businesses/{id}/licences,
 * DELETE /businesses/{id}/licences/{lid}.
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Field, FormError, useForm } from '../../ui.js';
import { api } from '../../api.js';
import { t, lang, addStrings, formatDate } from '../../i18n.js';
import { Select } from '../bo.js';
import '../bo-strings.js';

addStrings({
	'lic.title': 'Giấy phép kinh doanh có điều kiện',
	'lic.intro': 'Khai báo giấy phép, giấy chứng nhận cho ngành hàng kinh doanh có điều kiện (một giấy phép cho danh mục cha áp dụng cho các danh mục con). Sản phẩm thuộc ngành hàng có điều kiện mà không có giấy phép còn hiệu lực có thể bị tạm giữ để Sở xem xét.',
	'lic.list': 'Giấy phép đã khai báo',
	'lic.none': 'Chưa có giấy phép nào.',
	'lic.add': 'Thêm giấy phép',
	'lic.category_id': 'Ngành hàng',
	'lic.number': 'Số giấy phép',
	'lic.issuer': 'Cơ quan cấp',
	'lic.issued_on': 'Ngày cấp',
	'lic.expires_on': 'Ngày hết hạn (để trống nếu không thời hạn)',
	'lic.no_expiry': 'Không thời hạn',
	'lic.valid_to': 'Hiệu lực đến',
	'lic.submit': 'Lưu giấy phép',
	'lic.saved': 'Đã lưu giấy phép.',
	'lic.withdraw': 'Rút giấy phép',
	'lic.withdraw.label': 'Rút giấy phép số {n}',
	'lic.withdrawn.ok': 'Đã rút giấy phép.',
	'lic.status.valid': 'Còn hiệu lực',
	'lic.status.not_yet_valid': 'Chưa có hiệu lực',
	'lic.status.expired': 'Hết hạn',
	'lic.status.withdrawn': 'Đã rút',
	'lic.back': 'Về doanh nghiệp',
}, {
	'lic.title': 'Licences for conditional categories',
	'lic.intro': 'Register the licences and certificates your conditional categories need (a licence for a parent category covers its subcategories). A listing in a conditional category without a valid licence may be held for the department to review.',
	'lic.list': 'Registered licences',
	'lic.none': 'No licence yet.',
	'lic.add': 'Add a licence',
	'lic.category_id': 'Category',
	'lic.number': 'Licence number',
	'lic.issuer': 'Issued by',
	'lic.issued_on': 'Date of issue',
	'lic.expires_on': 'Expiry date (leave empty when it does not expire)',
	'lic.no_expiry': 'No expiry',
	'lic.valid_to': 'Valid until',
	'lic.submit': 'Save the licence',
	'lic.saved': 'Licence saved.',
	'lic.withdraw': 'Withdraw',
	'lic.withdraw.label': 'Withdraw licence {n}',
	'lic.withdrawn.ok': 'Licence withdrawn.',
	'lic.status.valid': 'Valid',
	'lic.status.not_yet_valid': 'Not yet valid',
	'lic.status.expired': 'Expired',
	'lic.status.withdrawn': 'Withdrawn',
	'lic.back': 'Back to the business',
});

const STATUS_CLASS = { valid: 'bstatus-verified', not_yet_valid: 'bstatus-pending',
    expired: 'bstatus-rejected', withdrawn: 'bstatus-suspended' };

function catName(c) {
	return lang.get() === 'en' ? c.name_en : c.name_vi;
}

/* Categories whose policy, or an ancestor's, is conditional (none prohibited), parents first. */
function conditional(items) {
	const by = new Map(items.map((c) => [c.id, c]));
	const path = (c) => { const p = []; for (let x = c, i = 0; x && i < 32; x = by.get(x.parent_id), i++) p.unshift(x); return p; };
	return items.map((c) => ({ c, p: path(c) }))
	    .filter(({ p }) => p.some((x) => x.policy === 'conditional') && !p.some((x) => x.policy === 'prohibited'))
	    .map(({ c, p }) => ({ value: String(c.id), label: p.map(catName).join(' › ') }))
	    .sort((a, b) => a.label.localeCompare(b.label));
}

function LicenceForm({ biz, cats, onSaved }) {
	const f = useForm({ category_id: cats.length ? cats[0].value : '', number: '', issuer: '', issued_on: '', expires_on: '' });
	function onSubmit(e) {
		e.preventDefault();
		f.submit(async (v) => {
			const body = { category_id: Number(v.category_id) };
			for (const k of ['number', 'issuer', 'issued_on', 'expires_on'])
				if (v[k].trim() !== '')
					body[k] = v[k].trim();
			await api('POST', '/businesses/' + biz + '/licences', body);
			onSaved();
		}, 'lic-');
	}
	const fld = (k, props = {}) => html`<${Field} id=${'lic-' + k} label=${t('lic.' + k)}
	    value=${f.values[k]} onInput=${f.set(k)} err=${f.errors['lic-' + k]} ...${props} />`;
	return html`<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="narrow licence-form">
		<${FormError} msg=${f.errors._} />
		<${Select} id="lic-category_id" label=${t('lic.category_id')} value=${f.values.category_id}
		    onInput=${f.set('category_id')} err=${f.errors['lic-category_id']} options=${cats} />
		${fld('number', { required: true, autocomplete: 'off', maxlength: 100 })}
		${fld('issuer', { required: true, maxlength: 255 })}
		${fld('issued_on', { type: 'date', required: true })}
		${fld('expires_on', { type: 'date' })}
		<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('lic.submit')}</button>
	</form>`;
}

function Licence({ l, onWithdraw, busy }) {
	return html`<li class="line licence">
		<div class="line-main">
			<strong>${l.number}</strong>
			<span>${catName(l.category)}</span>
			<span class="muted">${l.issuer} · ${formatDate(l.issued_on)} – ${
			    l.expires_on ? formatDate(l.expires_on) : t('lic.no_expiry')}</span>
		</div>
		<span class=${'status ' + (STATUS_CLASS[l.status] || '')}>${t('lic.status.' + l.status)}</span>
		${l.status !== 'withdrawn' && html`<button type="button" class="btn btn-small" disabled=${busy}
		    aria-label=${t('lic.withdraw.label', { n: l.number })} onClick=${() => onWithdraw(l)}>${t('lic.withdraw')}</button>`}
	</li>`;
}

export default function Licences({ params }) {
	useTitle(t('lic.title'));
	const biz = /^\d{1,18}$/.test(params.id) ? params.id : '0';
	const st = useGet('/businesses/' + biz + '/licences');
	const cats = useGet('/categories');
	const [note, setNote] = useState(null);
	const [err, setErr] = useState(null);
	const [busy, setBusy] = useState(false);
	const [formKey, setFormKey] = useState(0);
	async function withdraw(l) {
		setBusy(true);
		setErr(null);
		try {
			await api('DELETE', '/businesses/' + biz + '/licences/' + l.id);
			setNote(t('lic.withdrawn.ok'));
			st.reload();
		} catch (e) {
			setErr(e.message || t('common.error'));
		} finally {
			setBusy(false);
		}
	}
	return html`<h1 tabindex="-1">${t('lic.title')}</h1>
		<p class="muted">${t('lic.intro')}</p>
		<p><a href=${'/kinh-doanh/doanh-nghiep/' + biz}>${t('lic.back')}</a></p>
		${note && html`<p class="alert alert-ok" role="status">${note}</p>`}
		<${FormError} msg=${err} />
		<${Async} state=${st}>${(d) => html`<section aria-labelledby="h-lic-list">
			<h2 id="h-lic-list">${t('lic.list')}</h2>
			${d.items.length === 0 ? html`<p>${t('lic.none')}</p>`
			    : html`<ul class="lines licences">${d.items.map((l) => html`<${Licence} key=${l.id} l=${l}
				busy=${busy} onWithdraw=${withdraw} />`)}</ul>`}
		</section>
		<section aria-labelledby="h-lic-add">
			<h2 id="h-lic-add">${t('lic.add')}</h2>
			<${Async} state=${cats}>${(c) => html`<${LicenceForm} key=${formKey} biz=${biz} cats=${conditional(c.items)}
			    onSaved=${() => { setNote(t('lic.saved')); setFormKey(formKey + 1); st.reload(); }} />`}<//>
		</section>`}<//>`;
}
