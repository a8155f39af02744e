CREATE TABLE "notification" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"user_id" text NOT NULL,
	"org_id" text NOT NULL,
	"task_id" text NOT NULL,
	"kind" text NOT NULL,
	"actor_id" text,
	"comment_id" text,
	"summary" text NOT NULL,
	"excerpt" text DEFAULT '' NOT NULL,
	"count" integer DEFAULT 1 NOT NULL,
	"event_seq" bigint NOT NULL,
	"last_event_at" timestamp with time zone NOT NULL,
	"email_state" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	CONSTRAINT "notification_seq_unique" UNIQUE("seq")
);
--> statement-breakpoint
CREATE TABLE "notification_preference" (
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"enabled" boolean NOT NULL,
	CONSTRAINT "notification_preference_user_id_kind_channel_pk" PRIMARY KEY("user_id","kind","channel")
);
--> statement-breakpoint
CREATE TABLE "notify_task_state" (
	"task_id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"status" text NOT NULL,
	"assignee_ids" text[] NOT NULL,
	"mention_ids" text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_watch" (
	"org_id" text NOT NULL,
	"task_id" text NOT NULL,
	"user_id" text NOT NULL,
	"watching" boolean NOT NULL,
	CONSTRAINT "task_watch_task_id_user_id_pk" PRIMARY KEY("task_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_task_id_task_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."task"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preference" ADD CONSTRAINT "notification_preference_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notify_task_state" ADD CONSTRAINT "notify_task_state_task_id_task_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."task"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notify_task_state" ADD CONSTRAINT "notify_task_state_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_watch" ADD CONSTRAINT "task_watch_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_watch" ADD CONSTRAINT "task_watch_task_id_task_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."task"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_watch" ADD CONSTRAINT "task_watch_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notification_inbox_idx" ON "notification" USING btree ("user_id","seq");--> statement-breakpoint
CREATE INDEX "notification_collapse_idx" ON "notification" USING btree ("user_id","task_id","actor_id") WHERE "notification"."read_at" is null;--> statement-breakpoint
CREATE INDEX "notification_email_idx" ON "notification" USING btree ("user_id","created_at") WHERE "notification"."email_state" = 'pending';--> statement-breakpoint
CREATE INDEX "task_watch_org_idx" ON "task_watch" USING btree ("org_id");
--> statement-breakpoint
-- Orgs that exist now: the notifier starts from their present, not their history.
INSERT INTO "event_cursor" ("consumer", "org_id", "last_seq")
SELECT 'notifier', "org_id", "last_event_seq" FROM "org_counter"
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Every backend instance hears which users' inboxes changed (a new row, or a row that took a
-- new seq: folded, read, archived) and tells their inbox sockets. Identical payloads in one
-- transaction are folded by Postgres, so a batch sends each user once.
CREATE OR REPLACE FUNCTION notification_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('tandem_inbox', NEW.user_id);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER notification_notify AFTER INSERT OR UPDATE OF seq ON notification
  FOR EACH ROW EXECUTE FUNCTION notification_notify();
