-- Bulk data for the scale check: psql -v org=… -v usr=… -v pipeline=… -f seed.sql
-- One organization gets 1,000,000 contacts, 10,000 open leads over four
-- stages and one lead with 100,000 communications. Run as a superuser (bulk
-- load bypasses row-level security); the server then reads through RLS.
\set ON_ERROR_STOP on
SET synchronous_commit = off;

INSERT INTO contacts (organization_id, id, first_name, last_name, name, email, phone, job_position,
    source, owner_id, custom_fields, search_text, search_rowid, created_by, created_at, updated_at, version)
SELECT :'org'::uuid, gen_random_uuid(), f, l, f || ' ' || l,
       lower(fa) || '.' || lower(la) || g || '@example.com',
       '+5511' || (900000000 + g)::text, (ARRAY['CEO','CMO','Founder','Owner','Head of Growth'])[1 + abs(hashint4(g + 7)) % 5],
       (ARRAY['web','import','referral','whatsapp'])[1 + abs(hashint4(g)) % 4], :'usr'::uuid, '{}',
       lower(fa || ' ' || la) || ' ' || lower(fa) || '.' || lower(la) || g || '@example.com',
       (random() * 9.2e18)::bigint, :'usr'::uuid,
       now() - make_interval(secs => g), now(), 1
FROM generate_series(1, 1000000) g,
LATERAL (SELECT (ARRAY['Ana','João','Maria','Pedro','Luíza','José','Emily','James','Olívia','Lucas'])[1 + g % 10] AS f,
                (ARRAY['Ana','Joao','Maria','Pedro','Luiza','Jose','Emily','James','Olivia','Lucas'])[1 + g % 10] AS fa,
                (ARRAY['Silva','Souza','Gonçalves','Pereira','Smith','Araújo','Brown','Lima','Castro','Moore','Rocha','Melo','Taylor'])[1 + (g / 10) % 13] AS l,
                (ARRAY['Silva','Souza','Goncalves','Pereira','Smith','Araujo','Brown','Lima','Castro','Moore','Rocha','Melo','Taylor'])[1 + (g / 10) % 13] AS la) n;

INSERT INTO leads (organization_id, id, title, email, pipeline_id, stage_id, position, status, estimated_value,
    currency, probability, source, assigned_to, custom_fields, search_text, search_rowid, created_by,
    created_at, updated_at, version)
SELECT :'org'::uuid, gen_random_uuid(), 'Deal ' || g, 'deal' || g || '@example.com', :'pipeline'::uuid, s.id,
       g * 1024.0, 'open', (g % 500) * 100.0, 'BRL', s.probability, 'web', :'usr'::uuid, '{}',
       'deal ' || g, (random() * 9.2e18)::bigint, :'usr'::uuid, now() - make_interval(secs => g), now(), 1
FROM generate_series(1, 10000) g
JOIN (SELECT id, probability, row_number() OVER (ORDER BY position) - 1 AS idx FROM stages
      WHERE organization_id = :'org'::uuid AND pipeline_id = :'pipeline'::uuid AND kind = 'open') s
  ON s.idx = g % 4;

INSERT INTO communications (organization_id, id, lead_id, channel, direction, content, metadata, attachments,
    provider, status, sent_at, created_by, created_at, updated_at, version)
SELECT :'org'::uuid, gen_random_uuid(), (SELECT id FROM leads WHERE organization_id = :'org'::uuid ORDER BY position LIMIT 1),
       (ARRAY['whatsapp','email','call','note'])[1 + g % 4], (ARRAY['inbound','outbound'])[1 + g % 2],
       'Message number ' || g, '{}', '[]', 'manual', 'delivered', now() - make_interval(secs => g * 30),
       :'usr'::uuid, now(), now(), 1
FROM generate_series(1, 100000) g;

ANALYZE;
