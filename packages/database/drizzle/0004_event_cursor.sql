CREATE TABLE "event_cursor" (
	"consumer" text NOT NULL,
	"org_id" text NOT NULL,
	"last_seq" bigint NOT NULL,
	CONSTRAINT "event_cursor_consumer_org_id_pk" PRIMARY KEY("consumer","org_id")
);
--> statement-breakpoint
ALTER TABLE "event_cursor" ADD CONSTRAINT "event_cursor_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;