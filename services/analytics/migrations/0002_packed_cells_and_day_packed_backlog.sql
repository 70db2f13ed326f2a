-- Aggregates read faster (docs/decisions/0008-analytics-rollups.md):
-- 1. kpi_cells.cells becomes bytea in the format of EncodeCells (kpi_cells.h): per cell, in id
--    order, varint(id - previous id) then varint(zigzag(count)). A KPI query reads hundreds of
--    thousands of cells; PostgreSQL converted each bigint[] element to text and back, and
--    compressed most rows; the packed form is ~2.5 bytes a cell, printed as hex at memory speed.
--    Consumers now merge rows themselves (read-lock, add, write), so add_cells goes.
-- 2. The open-now basis (2, coarse 22) is filed by month with the receive day inside the cell id
--    (day offset * 2 + 0 for open, + 1 for open and unresolved): a query reads the whole backlog
--    of a group in one row per month instead of one per day, and its ages are exact. Its month
--    roll-ups (12, 32) go.
-- 3. New basis 3 (coarse 23): the backlog's +1/-1 steps by day (cell day offset * 2), filed by
--    month the same way, copied from the kOpen cell (12) of the activity rows (1, 21), so that the
--    backlog at a past day no longer reads whole activity rows.

-- The day-packed rows: `sources` maps a cell of a source basis to the target basis and slot.
CREATE TEMPORARY TABLE day_packed ON COMMIT DROP AS
WITH sources(source_basis, target_basis, cell, slot) AS (
  VALUES (2, 2, 12, 0), (2, 2, 13, 1), (22, 22, 12, 0), (22, 22, 13, 1),
         (1, 3, 12, 0), (21, 23, 12, 0)
), entries AS (
  SELECT r.administration_id, s.target_basis AS basis,
         date_trunc('month', r.day)::date AS day, r.kind, r.channel, r.priority, r.category,
         r.department_id, r.department_code, r.region_code,
         (r.day - date_trunc('month', r.day)::date)::bigint * 2 + s.slot AS id,
         r.cells[i + 1] AS count
  FROM kpi_cells AS r
  JOIN sources AS s ON s.source_basis = r.basis
  CROSS JOIN LATERAL generate_series(1, coalesce(array_length(r.cells, 1), 0), 2) AS i
  WHERE r.cells[i] = s.cell AND r.cells[i + 1] <> 0
)
SELECT administration_id, basis, day, kind, channel, priority, category, department_id,
       department_code, region_code, array_agg(flat.v ORDER BY id, flat.p) AS cells
FROM entries, LATERAL (VALUES (1, id), (2, count)) AS flat(p, v)
GROUP BY administration_id, basis, day, kind, channel, priority, category, department_id,
         department_code, region_code;

DELETE FROM kpi_cells WHERE basis IN (2, 12, 22, 32);
INSERT INTO kpi_cells (administration_id, basis, day, kind, channel, priority, category,
                       department_id, department_code, region_code, cells)
SELECT administration_id, basis, day, kind, channel, priority, category, department_id,
       department_code, region_code, cells
FROM day_packed;

-- EncodeCells, for the conversion only.
CREATE FUNCTION pack_cells(flat bigint[]) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  out bytea := '';
  previous bigint := 0;
  value numeric;
  i int;
  part int;
BEGIN
  FOR i IN 1 .. coalesce(array_length(flat, 1), 0) - 1 BY 2 LOOP
    FOR part IN 0 .. 1 LOOP
      IF part = 0 THEN
        value := flat[i] - previous;
        previous := flat[i];
      ELSIF flat[i + 1] >= 0 THEN
        value := flat[i + 1]::numeric * 2;
      ELSE
        value := -flat[i + 1]::numeric * 2 - 1;
      END IF;
      WHILE value >= 128 LOOP
        out := out || set_byte('\x00'::bytea, 0, (mod(value, 128) + 128)::int);
        value := div(value, 128);
      END LOOP;
      out := out || set_byte('\x00'::bytea, 0, value::int);
    END LOOP;
  END LOOP;
  RETURN out;
END
$$;

ALTER TABLE kpi_cells ALTER COLUMN cells TYPE bytea USING pack_cells(cells);
DROP FUNCTION pack_cells(bigint[]);
DROP FUNCTION add_cells(bigint[], bigint[]);
