CREATE TABLE "github_user" (
	"github_id" bigint PRIMARY KEY NOT NULL,
	"login" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notify_task_state" ADD COLUMN "due_date" date;--> statement-breakpoint
CREATE INDEX "github_user_login_idx" ON "github_user" USING btree (lower("login"));