CREATE TABLE "org_storage" (
	"org_id" text PRIMARY KEY NOT NULL,
	"used_bytes" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "org_storage" ADD CONSTRAINT "org_storage_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
INSERT INTO "org_storage" ("org_id", "used_bytes")
  SELECT "org_id", sum("size") FROM "attachment" WHERE "deleted_at" IS NULL GROUP BY "org_id";--> statement-breakpoint
ALTER TABLE "invite" ADD COLUMN "team_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
UPDATE "invite" SET "team_ids" = jsonb_build_array("team_id") WHERE "team_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "invite" DROP CONSTRAINT "invite_team_id_team_id_fk";--> statement-breakpoint
ALTER TABLE "invite" DROP COLUMN "team_id";
