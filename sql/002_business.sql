-- 002: businesses (Decree 52 seller identity), verification, storefronts.

CREATE TABLE san.businesses (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tax_code		text NOT NULL UNIQUE
				    CHECK (tax_code ~ '^[0-9]{10}(-[0-9]{3})?$'),
	name			text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
	kind			text NOT NULL CHECK (kind IN ('enterprise',
				    'cooperative', 'household',
				    'production_facility')),
	registration_no		text NOT NULL,
	registration_date	date NOT NULL,
	registration_issuer	text NOT NULL,
	address			text NOT NULL,
	province		text NOT NULL,
	ward			text NOT NULL,
	representative		text NOT NULL,
	phone			text NOT NULL CHECK (phone ~ '^\+84[0-9]{9}$'),
	email			text NOT NULL,
	status			text NOT NULL DEFAULT 'pending'
				    CHECK (status IN ('pending', 'verified',
				    'rejected', 'suspended')),
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX businesses_status_idx ON san.businesses (status, id);

-- Who acts for a business.  Owners may edit it and open stores.
CREATE TABLE san.business_members (
	business_id	bigint NOT NULL REFERENCES san.businesses ON DELETE CASCADE,
	account_id	bigint NOT NULL REFERENCES san.accounts ON DELETE CASCADE,
	role		text NOT NULL CHECK (role IN ('owner', 'staff')),
	PRIMARY KEY (business_id, account_id)
);
CREATE INDEX business_members_account_idx ON san.business_members (account_id);

-- Verification history: every submission and every official decision.
CREATE TABLE san.business_events (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	business_id	bigint NOT NULL REFERENCES san.businesses ON DELETE CASCADE,
	actor_id	bigint NOT NULL REFERENCES san.accounts,
	action		text NOT NULL CHECK (action IN ('submit', 'resubmit',
			    'approve', 'reject', 'suspend', 'reinstate')),
	from_status	text,
	to_status	text NOT NULL,
	reason		text,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX business_events_business_idx ON san.business_events (business_id, id);

CREATE TABLE san.stores (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	business_id	bigint NOT NULL REFERENCES san.businesses,
	slug		text NOT NULL UNIQUE
			    CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'
			    AND length(slug) BETWEEN 3 AND 63),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	description	text NOT NULL DEFAULT '',
	phone		text NOT NULL CHECK (phone ~ '^\+84[0-9]{9}$'),
	email		text NOT NULL,
	pickup_address	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stores_business_idx ON san.stores (business_id);
CREATE INDEX stores_name_trgm_idx ON san.stores
    USING gin (san.fold(name) gin_trgm_ops);
