ALTER TABLE "data_import" ADD COLUMN "project_id" text;--> statement-breakpoint
ALTER TABLE "project" ADD COLUMN "former_keys" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "data_import" ADD CONSTRAINT "data_import_project_id_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."project"("id") ON DELETE set null ON UPDATE no action;