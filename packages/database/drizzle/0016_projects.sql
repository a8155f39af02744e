CREATE TYPE "public"."relation_type" AS ENUM('blocks', 'relates', 'duplicate_of');--> statement-breakpoint
CREATE TYPE "public"."state_category" AS ENUM('backlog', 'unstarted', 'started', 'completed', 'canceled');--> statement-breakpoint
CREATE TYPE "public"."view_group_by" AS ENUM('none', 'state', 'assignee', 'priority', 'label');--> statement-breakpoint
CREATE TYPE "public"."view_layout" AS ENUM('board', 'list');--> statement-breakpoint
CREATE TABLE "project" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"color" text DEFAULT '#6366f1' NOT NULL,
	"icon" text,
	"archived" boolean DEFAULT false NOT NULL,
	"public_board" boolean DEFAULT false NOT NULL,
	"public_fields" jsonb DEFAULT '["status","priority","labels"]'::jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"last_task_number" integer DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saved_view" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"project_id" text,
	"owner_id" text,
	"name" text NOT NULL,
	"filters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"group_by" "view_group_by" DEFAULT 'state' NOT NULL,
	"sort" jsonb,
	"layout" "view_layout" DEFAULT 'board' NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_relation" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"type" "relation_type" NOT NULL,
	"from_task_id" text NOT NULL,
	"to_task_id" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workflow_state" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"project_id" text NOT NULL,
	"name" text NOT NULL,
	"color" text NOT NULL,
	"category" "state_category" NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "task_org_number_uq";--> statement-breakpoint
ALTER TABLE "github_repository" ADD COLUMN "project_id" text;--> statement-breakpoint
ALTER TABLE "task" ADD COLUMN "project_id" text;--> statement-breakpoint
ALTER TABLE "task" ADD COLUMN "state_id" text;--> statement-breakpoint
ALTER TABLE "task" ADD COLUMN "start_date" date;--> statement-breakpoint
ALTER TABLE "task" ADD COLUMN "due_date" date;--> statement-breakpoint
ALTER TABLE "task" ADD COLUMN "estimate" integer;--> statement-breakpoint
-- Existing data migrates in place: one project per org keyed by its prefix, holding every
-- task with its number (so ENG-42 resolves before and after), its public-board settings and
-- the org's task counter; five states per project; each task's state from its status.
INSERT INTO "project" ("id", "org_id", "key", "name", "public_board", "public_fields", "last_task_number", "created_by", "created_at")
SELECT 'prj_' || substr(md5(o."id" || ':project'), 1, 20), o."id", upper(o."prefix"), o."name", o."public_board", o."public_fields",
       coalesce(c."last_task_number", 0), o."created_by", o."created_at"
  FROM "organization" o LEFT JOIN "org_counter" c ON c."org_id" = o."id";--> statement-breakpoint
INSERT INTO "workflow_state" ("id", "org_id", "project_id", "name", "color", "category", "position")
SELECT 'wst_' || substr(md5(p."id" || ':' || s.category), 1, 20), p."org_id", p."id", s.name, s.color, s.category::state_category, s.position
  FROM "project" p CROSS JOIN (VALUES
    ('backlog', 'Backlog', '#94a3b8', 0), ('unstarted', 'Todo', '#64748b', 1), ('started', 'In progress', '#f59e0b', 2),
    ('completed', 'Done', '#22c55e', 3), ('canceled', 'Canceled', '#ef4444', 4)) AS s(category, name, color, position);--> statement-breakpoint
UPDATE "task" t SET "project_id" = p."id",
       "state_id" = 'wst_' || substr(md5(p."id" || ':' || (CASE t."status" WHEN 'todo' THEN 'unstarted' WHEN 'in_progress' THEN 'started'
                                                          WHEN 'done' THEN 'completed' ELSE t."status"::text END)), 1, 20)
  FROM "project" p WHERE p."org_id" = t."org_id";--> statement-breakpoint
ALTER TABLE "task" ALTER COLUMN "project_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "task" ALTER COLUMN "state_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "project" ADD CONSTRAINT "project_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project" ADD CONSTRAINT "project_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_view" ADD CONSTRAINT "saved_view_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_view" ADD CONSTRAINT "saved_view_project_id_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."project"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_view" ADD CONSTRAINT "saved_view_owner_id_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_view" ADD CONSTRAINT "saved_view_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_relation" ADD CONSTRAINT "task_relation_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_relation" ADD CONSTRAINT "task_relation_from_task_id_task_id_fk" FOREIGN KEY ("from_task_id") REFERENCES "public"."task"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_relation" ADD CONSTRAINT "task_relation_to_task_id_task_id_fk" FOREIGN KEY ("to_task_id") REFERENCES "public"."task"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_relation" ADD CONSTRAINT "task_relation_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_state" ADD CONSTRAINT "workflow_state_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_state" ADD CONSTRAINT "workflow_state_project_id_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."project"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "project_org_key_uq" ON "project" USING btree ("org_id","key");--> statement-breakpoint
CREATE INDEX "project_org_idx" ON "project" USING btree ("org_id","position");--> statement-breakpoint
CREATE INDEX "saved_view_org_idx" ON "saved_view" USING btree ("org_id","owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "task_relation_uq" ON "task_relation" USING btree ("from_task_id","to_task_id","type");--> statement-breakpoint
CREATE INDEX "task_relation_to_idx" ON "task_relation" USING btree ("to_task_id");--> statement-breakpoint
CREATE INDEX "task_relation_org_idx" ON "task_relation" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "workflow_state_project_idx" ON "workflow_state" USING btree ("project_id","position");--> statement-breakpoint
ALTER TABLE "github_repository" ADD CONSTRAINT "github_repository_project_id_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."project"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_project_id_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."project"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_state_id_workflow_state_id_fk" FOREIGN KEY ("state_id") REFERENCES "public"."workflow_state"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "task_project_number_uq" ON "task" USING btree ("project_id","number");--> statement-breakpoint
CREATE INDEX "task_state_idx" ON "task" USING btree ("project_id","state_id","rank","id") WHERE "task"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "task_due_idx" ON "task" USING btree ("org_id","due_date") WHERE "task"."deleted_at" is null and "task"."due_date" is not null;