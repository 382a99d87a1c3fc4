/*
 * Sign in and register.  The API sets the HttpOnly session cookie on
 * login; the token in its body is ignored.  An error's message is shown
 * next to the field the API names (error.field), else above the form.
 */
import { useState } from 'preact/hooks';
import { html, useTitle, useForm, Field, FormError } from '../ui.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { refreshMe } from '../session.js';

/* Only a local path is followed after signing in. */
function nextPath(query) {
	const n = query.get('next') || '/';
	return /^\/(?!\/)/.test(n) && !n.startsWith('/api/') ? n : '/';
}

export function SignIn({ query }) {
	useTitle(t('auth.signin.title'));
	const f = useForm({ email: '', password: '' });
	const done = query.get('registered') === '1';
	function onSubmit(e) {
		e.preventDefault();
		f.submit(async (v) => {
			await api('POST', '/auth/login', { email: v.email.trim(), password: v.password });
			await refreshMe();
			navigate(nextPath(query));
		}, { email: 'login-email', password: 'login-password' });
	}
	return html`<section class="narrow">
		<h1 tabindex="-1">${t('auth.signin.title')}</h1>
		${done && html`<p class="alert alert-ok" role="status">${t('auth.register.done')}</p>`}
		<form ref=${f.formRef} onSubmit=${onSubmit} novalidate>
			<${FormError} msg=${f.errors._} />
			<${Field} id="login-email" label=${t('auth.email')} type="email" autocomplete="email"
			    value=${f.values.email} onInput=${f.set('email')} err=${f.errors['login-email']} required />
			<${Field} id="login-password" label=${t('auth.password')} type="password"
			    autocomplete="current-password" value=${f.values.password}
			    onInput=${f.set('password')} err=${f.errors['login-password']} required />
			<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('auth.signin.submit')}</button>
		</form>
		<p>${t('auth.no_account')} <a href="/dang-ky">${t('nav.register')}</a></p>
	</section>`;
}

export function Register({ query }) {
	useTitle(t('auth.register.title'));
	const f = useForm({ email: '', password: '', full_name: '', phone: '' });
	const [, force] = useState(0);
	function onSubmit(e) {
		e.preventDefault();
		f.submit(async (v) => {
			const body = { email: v.email.trim(), password: v.password,
			    full_name: v.full_name.trim() };
			if (v.phone.trim())
				body.phone = v.phone.trim();
			await api('POST', '/auth/register', body);
			const next = query.get('next');
			navigate('/dang-nhap?registered=1' + (next ? '&next=' + encodeURIComponent(next) : ''));
			force(1);
		}, { email: 'reg-email', password: 'reg-password', full_name: 'reg-full_name', phone: 'reg-phone' });
	}
	return html`<section class="narrow">
		<h1 tabindex="-1">${t('auth.register.title')}</h1>
		<form ref=${f.formRef} onSubmit=${onSubmit} novalidate>
			<${FormError} msg=${f.errors._} />
			<${Field} id="reg-full_name" label=${t('auth.full_name')} autocomplete="name"
			    value=${f.values.full_name} onInput=${f.set('full_name')} err=${f.errors['reg-full_name']} required />
			<${Field} id="reg-email" label=${t('auth.email')} type="email" autocomplete="email"
			    value=${f.values.email} onInput=${f.set('email')} err=${f.errors['reg-email']} required />
			<${Field} id="reg-password" label=${t('auth.password')} type="password"
			    autocomplete="new-password" hint=${t('auth.password.hint')} value=${f.values.password}
			    onInput=${f.set('password')} err=${f.errors['reg-password']} required />
			<${Field} id="reg-phone" label=${t('auth.phone')} type="tel" autocomplete="tel"
			    value=${f.values.phone} onInput=${f.set('phone')} err=${f.errors['reg-phone']} />
			<button type="submit" class="btn btn-primary" disabled=${f.busy}>${t('auth.register.submit')}</button>
		</form>
		<p>${t('auth.have_account')} <a href="/dang-nhap">${t('nav.signin')}</a></p>
	</section>`;
}
