CREATE TYPE "public"."import_format" AS ENUM('tandem', 'csv', 'trello');--> statement-breakpoint
CREATE TYPE "public"."import_status" AS ENUM('queued', 'running', 'completed', 'failed');--> statement-breakpoint
CREATE TABLE "data_import" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"format" "import_format" NOT NULL,
	"filename" text NOT NULL,
	"status" "import_status" DEFAULT 'queued' NOT NULL,
	"source" text,
	"mapping" jsonb,
	"keep_numbers" text,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "data_import_item" (
	"import_id" text NOT NULL,
	"source_key" text NOT NULL,
	"target_id" text NOT NULL,
	CONSTRAINT "data_import_item_import_id_source_key_pk" PRIMARY KEY("import_id","source_key")
);
--> statement-breakpoint
ALTER TABLE "data_import" ADD CONSTRAINT "data_import_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_import" ADD CONSTRAINT "data_import_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_import_item" ADD CONSTRAINT "data_import_item_import_id_data_import_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."data_import"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "data_import_org_idx" ON "data_import" USING btree ("org_id","created_at");