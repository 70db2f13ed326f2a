-- Analytics keeps no personal data: one small fact row per complaint (ids, dimension codes,
-- instants of its milestones) and aggregates per day and dimensions derived from those facts.

-- The per-complaint fact. Every field is merged commutatively (earliest/latest instant, set of
-- wait boundaries), so a redelivered or reordered event leaves the same row; aggregates are
-- adjusted by the difference between the fact's contribution before and after each event.
CREATE TABLE complaint_facts (
  complaint_id text PRIMARY KEY,
  administration_id text NOT NULL DEFAULT '',
  kind smallint NOT NULL DEFAULT 0,
  channel smallint NOT NULL DEFAULT 0,
  priority smallint NOT NULL DEFAULT 0,
  category text NOT NULL DEFAULT '',
  department_id text NOT NULL DEFAULT '',
  department_code text NOT NULL DEFAULT '',
  region_code text NOT NULL DEFAULT '',
  -- Milestone instants in microseconds since the epoch, 0 when not reached (see ComplaintFact).
  slots bigint[] NOT NULL,
  -- Starts and ends of the waits on the citizen, microseconds, sorted and unique.
  wait_starts bigint[] NOT NULL DEFAULT '{}',
  wait_ends bigint[] NOT NULL DEFAULT '{}',
  satisfaction smallint NOT NULL DEFAULT 0,
  problem_solved boolean NOT NULL DEFAULT false,
  keywords text[] NOT NULL DEFAULT '{}'
);

-- Aggregates: one row per basis (0 = receive-day cohort, 1 = day the event happened), day (in
-- Europe/Paris) and dimension values. `cells` is a sparse map of counters and histogram buckets,
-- flattened as sorted (cell id, count) pairs; see kpi_cells.h. The primary key leads with
-- (administration, basis, day) so that every KPI query is a bounded range scan.
CREATE TABLE kpi_cells (
  administration_id text NOT NULL,
  basis smallint NOT NULL,
  day date NOT NULL,
  kind smallint NOT NULL,
  channel smallint NOT NULL,
  priority smallint NOT NULL,
  category text NOT NULL,
  department_id text NOT NULL,
  department_code text NOT NULL,
  region_code text NOT NULL,
  cells bigint[] NOT NULL,
  PRIMARY KEY (administration_id, basis, day, kind, channel, priority, category, department_id,
               department_code, region_code)
);

-- The SLA gauges read the last 30 days of every administration.
CREATE INDEX kpi_cells_recent ON kpi_cells (basis, day);

-- Routing keywords that matched, per receive day and dimension values (top terms).
CREATE TABLE term_counts (
  administration_id text NOT NULL,
  day date NOT NULL,
  kind smallint NOT NULL,
  channel smallint NOT NULL,
  priority smallint NOT NULL,
  category text NOT NULL,
  department_id text NOT NULL,
  department_code text NOT NULL,
  region_code text NOT NULL,
  term text NOT NULL,
  complaints bigint NOT NULL,
  PRIMARY KEY (administration_id, day, kind, channel, priority, category, department_id,
               department_code, region_code, term)
);

-- Sum of two sparse cell maps (flattened sorted pairs), dropping cells that reach zero; used in
-- ON CONFLICT so that concurrent consumers add to the same row atomically.
CREATE FUNCTION add_cells(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(flat.v ORDER BY sums.k, flat.p), '{}')
  FROM (SELECT pairs.k, sum(pairs.c)::bigint AS c
        FROM (SELECT a[i] AS k, a[i + 1] AS c
              FROM generate_series(1, coalesce(array_length(a, 1), 0), 2) AS i
              UNION ALL
              SELECT b[i], b[i + 1]
              FROM generate_series(1, coalesce(array_length(b, 1), 0), 2) AS i) AS pairs
        GROUP BY pairs.k
        HAVING sum(pairs.c) <> 0) AS sums,
       LATERAL (VALUES (1, sums.k), (2, sums.c)) AS flat(p, v)
$$;
