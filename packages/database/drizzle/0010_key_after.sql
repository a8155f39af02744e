-- The board key right after `last_key` (null: the first key): `generateKeyBetween(last_key, null)`
-- of fractional-indexing (base 62), the integer part incremented. Task create appends a card in
-- the same statement that inserts it (issue 16.10), instead of reading the last rank first.
CREATE OR REPLACE FUNCTION tandem_key_after(last_key text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  digits constant text := '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  head int;
  int_len int;
  int_part text;
  frac text;
  digs text;
  i int;
  d int;
BEGIN
  IF last_key IS NULL THEN
    RETURN 'a0';
  END IF;
  head := ascii(last_key);
  IF head BETWEEN ascii('a') AND ascii('z') THEN
    int_len := head - ascii('a') + 2;
  ELSIF head BETWEEN ascii('A') AND ascii('Z') THEN
    int_len := ascii('Z') - head + 2;
  ELSE
    RAISE EXCEPTION 'invalid order key: %', last_key;
  END IF;
  IF length(last_key) < int_len THEN
    RAISE EXCEPTION 'invalid order key: %', last_key;
  END IF;
  int_part := left(last_key, int_len);
  frac := substr(last_key, int_len + 1);
  digs := substr(int_part, 2);
  i := length(digs);
  WHILE i >= 1 LOOP
    d := strpos(digits, substr(digs, i, 1));
    IF d < 62 THEN
      RETURN left(int_part, 1) || left(digs, i - 1) || substr(digits, d + 1, 1) || repeat('0', length(digs) - i);
    END IF;
    i := i - 1;
  END LOOP;
  -- Every digit carried: the next integer length, or past the largest integer the fraction's midpoint.
  IF head = ascii('Z') THEN
    RETURN 'a0';
  ELSIF head = ascii('z') THEN
    digs := '';
    LOOP
      d := CASE WHEN frac = '' THEN 0 ELSE strpos(digits, left(frac, 1)) - 1 END;
      IF d < 61 THEN
        RETURN int_part || digs || substr(digits, (d + 63) / 2 + 1, 1);
      END IF;
      digs := digs || left(frac, 1);
      frac := substr(frac, 2);
    END LOOP;
  ELSIF head >= ascii('a') THEN
    RETURN chr(head + 1) || repeat('0', length(digs) + 1);
  END IF;
  RETURN chr(head + 1) || repeat('0', length(digs) - 1);
END
$$;
