-- Wake every hub instance when an event commits: NOTIFY is delivered at commit, in commit
-- order, whoever wrote the row (API, worker or a script). The payload is "org_id:seq".
CREATE OR REPLACE FUNCTION tandem_notify_event() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('tandem_events', NEW.org_id || ':' || NEW.seq);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER event_notify AFTER INSERT ON event FOR EACH ROW EXECUTE FUNCTION tandem_notify_event();
