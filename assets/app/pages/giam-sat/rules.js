/*
 * Monitoring rules, officials (/giam-sat/quy-tac): the rules with their
 * version, alerts and rescan progress; the editor (keyword: terms and
 * exceptions, one per line; price anomaly: its three figures; severity,
 * category, active) with a dry run that shows how many listed products
 * the draft would hit, with a sample, before anything is saved.
 * API: GET|POST /official/rules, PATCH /official/rules/{id},
 * POST /official/rules/dry-run.  There is no GET of one rule: the editor
 * finds it in the list.
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useGet, Async, Field, FormError, useForm, NotFound } from '../../ui.js';
import { api } from '../../api.js';
import { t } from '../../i18n.js';
import { navigate } from '../../router.js';
import { Select, TextArea } from '../bo.js';
import { MonNav } from './cases.js';
import { CATEGORIES, SEVERITIES, KINDS } from './strings.js';

const opts = (list, prefix) => list.map((v) => ({ value: v, label: t(prefix + v) }));

function Rescan({ j }) {
	if (!j)
		return null;
	return html`<span class="muted">${t('gs.rules.rescan', { s: j.scanned, h: j.hits })}
		(${j.finished_at ? t('gs.rules.rescan.done') : t('gs.rules.rescan.running')})</span>`;
}

export default function Rules() {
	useTitle(t('gs.rules.title'));
	const st = useGet('/official/rules');
	return html`<h1 tabindex="-1">${t('gs.rules.title')}</h1>
		<${MonNav} />
		<p><a class="btn btn-primary" href="/giam-sat/quy-tac/moi">${t('gs.rules.new')}</a></p>
		<${Async} state=${st}>${(d) => html`<ul class="lines rules">${d.items.map((r) => html`<li key=${r.id} class="line">
			<div class="line-main">
				<a href=${'/giam-sat/quy-tac/' + r.id}>${r.name}</a>
				<span class="muted">${t('gs.kind.' + r.kind)} · ${t('gs.sev.' + r.severity)} · ${t('gs.cat.' + r.category)} · ${t('gs.rules.alerts', { n: r.alerts })}</span>
				<${Rescan} j=${r.rescan} />
			</div>
			<span class="status">${t('gs.rules.version', { v: r.version })}</span>
			${!r.active && html`<span class="status pstatus-hidden">${t('gs.rules.inactive')}</span>`}
		</li>`)}</ul>`}<//>`;
}

const lines = (s) => s.split('\n').map((x) => x.trim()).filter(Boolean);
const numOr = (s) => (String(s).trim() === '' ? undefined : Number(s));

/* The request body from the form's values (the API checks everything). */
function body(v) {
	const b = { name: v.name.trim(), kind: v.kind, severity: v.severity, category: v.category, active: v.active };
	if (v.kind === 'keyword')
		b.params = { terms: lines(v.terms), except: lines(v.except) };
	else
		b.params = { threshold: numOr(v.threshold), min_listings: numOr(v.min_listings),
		    constant_ratio: numOr(v.constant_ratio) };
	return b;
}

/* API field -> element id. */
const IDS = { name: 'ru-name', kind: 'ru-kind', severity: 'ru-severity', category: 'ru-category',
    active: 'ru-active', 'params.terms': 'ru-terms', 'params.except': 'ru-except',
    'params.threshold': 'ru-threshold', 'params.min_listings': 'ru-min_listings',
    'params.constant_ratio': 'ru-constant_ratio', params: 'ru-terms' };

function DryResult({ r }) {
	return html`<div class="alert alert-ok dry-run" role="status">
		<p><strong>${t('gs.rule.dry.result', { n: r.hits, l: r.listed })}</strong></p>
		${r.sample.length > 0 && html`<p>${t('gs.rule.dry.sample')}:</p>
		<ul>${r.sample.map((s) => html`<li key=${s.id}><a href=${'/san-pham/' + s.id}>${s.name}</a>
			${s.matched ? html` <span class="muted">(«${s.matched}»)</span>` : ''}</li>`)}</ul>`}
	</div>`;
}

function RuleForm({ row }) {
	const p = (row && row.params) || {};
	const f = useForm({
		name: row ? row.name : '', kind: row ? row.kind : 'keyword',
		severity: row ? row.severity : 'hold', category: row ? row.category : 'prohibited_goods',
		active: row ? row.active : true,
		terms: (p.terms || []).join('\n'), except: (p.except || []).join('\n'),
		threshold: p.threshold ?? '', min_listings: p.min_listings ?? '', constant_ratio: p.constant_ratio ?? '',
	});
	const [dry, setDry] = useState(null);
	const [saved, setSaved] = useState(null);
	function dryRun() {
		setDry(null);
		setSaved(null);
		f.submit(async (v) => setDry(await api('POST', '/official/rules/dry-run', body(v))), IDS);
	}
	function onSubmit(e) {
		e.preventDefault();
		setSaved(null);
		f.submit(async (v) => {
			const r = row ? await api('PATCH', '/official/rules/' + row.id, body(v))
			    : await api('POST', '/official/rules', body(v));
			setSaved(r.version);
			if (!row)
				navigate('/giam-sat/quy-tac/' + r.id, { replace: true });
		}, IDS);
	}
	const set = (k) => (x) => { setDry(null); f.set(k)(x); };
	return html`<form ref=${f.formRef} onSubmit=${onSubmit} novalidate class="narrow rule-form">
		<${FormError} msg=${f.errors._} />
		${saved && html`<p class="alert alert-ok" role="status">${t('gs.rule.saved', { v: saved })}</p>`}
		<${Field} id="ru-name" label=${t('gs.rule.name')} value=${f.values.name} onInput=${set('name')}
		    err=${f.errors['ru-name']} maxlength="200" />
		<${Select} id="ru-kind" label=${t('gs.rule.kind')} value=${f.values.kind} onInput=${set('kind')}
		    err=${f.errors['ru-kind']} options=${opts(KINDS, 'gs.kind.')} disabled=${!!row} />
		<${Select} id="ru-severity" label=${t('gs.rule.severity')} value=${f.values.severity} onInput=${set('severity')}
		    err=${f.errors['ru-severity']} options=${opts(f.values.kind === 'keyword' ? SEVERITIES : ['hold', 'flag'], 'gs.sev.')} />
		<${Select} id="ru-category" label=${t('gs.rule.category')} value=${f.values.category} onInput=${set('category')}
		    err=${f.errors['ru-category']} options=${opts(CATEGORIES, 'gs.cat.')} />
		${f.values.kind === 'keyword' ? html`
			<${TextArea} id="ru-terms" label=${t('gs.rule.terms')} hint=${t('gs.rule.terms.hint')} value=${f.values.terms}
			    onInput=${set('terms')} err=${f.errors['ru-terms']} rows="5" />
			<${TextArea} id="ru-except" label=${t('gs.rule.except')} hint=${t('gs.rule.except.hint')} value=${f.values.except}
			    onInput=${set('except')} err=${f.errors['ru-except']} rows="3" />` : html`
			<${Field} id="ru-threshold" label=${t('gs.rule.threshold')} inputmode="decimal" value=${f.values.threshold}
			    onInput=${set('threshold')} err=${f.errors['ru-threshold']} placeholder="3.5" />
			<${Field} id="ru-min_listings" label=${t('gs.rule.min_listings')} inputmode="numeric" value=${f.values.min_listings}
			    onInput=${set('min_listings')} err=${f.errors['ru-min_listings']} placeholder="20" />
			<${Field} id="ru-constant_ratio" label=${t('gs.rule.constant_ratio')} inputmode="decimal" value=${f.values.constant_ratio}
			    onInput=${set('constant_ratio')} err=${f.errors['ru-constant_ratio']} placeholder="3" />`}
		<div class="field field-check">
			<input id="ru-active" type="checkbox" checked=${f.values.active}
			    onChange=${(e) => set('active')(e.currentTarget.checked)} />
			<label for="ru-active">${t('gs.rule.active')}</label>
		</div>
		${dry && html`<${DryResult} r=${dry} />`}
		<div class="actions">
			<button type="button" class="btn" disabled=${f.busy} onClick=${dryRun}>${t('gs.rule.dry')}</button>
			<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('gs.rule.save')}</button>
		</div>
	</form>`;
}

export function RuleNew() {
	useTitle(t('gs.rule.new.title'));
	return html`<p><a href="/giam-sat/quy-tac">${t('gs.rule.back')}</a></p>
		<h1 tabindex="-1">${t('gs.rule.new.title')}</h1>
		<${RuleForm} />`;
}

export function RuleEdit({ params }) {
	useTitle(t('gs.rule.edit.title'));
	const st = useGet('/official/rules');
	return html`<${Async} state=${st}>${(d) => {
		const row = d.items.find((r) => String(r.id) === params.id);
		if (!row)
			return html`<${NotFound} />`;
		return html`<p><a href="/giam-sat/quy-tac">${t('gs.rule.back')}</a></p>
			<h1 tabindex="-1">${t('gs.rule.edit.title')}: ${row.name}</h1>
			<p><span class="status">${t('gs.rules.version', { v: row.version })}</span>
			    <span class="muted"> ${t('gs.rule.edit.note')}</span></p>
			<${Rescan} j=${row.rescan} />
			<${RuleForm} key=${row.id + '-' + row.version} row=${row} />`;
	}}<//>`;
}
