CREATE TABLE "github_installation" (
	"id" bigint PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"account" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "github_repository" ADD COLUMN "webhook_secret_encrypted" text;--> statement-breakpoint
ALTER TABLE "webhook_delivery" ADD COLUMN "link_id" text;--> statement-breakpoint
ALTER TABLE "github_installation" ADD CONSTRAINT "github_installation_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_link_id_github_repository_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."github_repository"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_delivery_link_idx" ON "webhook_delivery" USING btree ("link_id","received_at");