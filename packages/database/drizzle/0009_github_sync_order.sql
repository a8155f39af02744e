CREATE TABLE "github_tombstone" (
	"repository_id" text NOT NULL,
	"kind" text NOT NULL,
	"github_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "github_tombstone_repository_id_kind_github_id_pk" PRIMARY KEY("repository_id","kind","github_id")
);
--> statement-breakpoint
ALTER TABLE "github_pull_request" ADD COLUMN "reviews" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "task" ADD COLUMN "external_assignees" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "task" ADD COLUMN "review_state" text;--> statement-breakpoint
ALTER TABLE "webhook_delivery" ADD COLUMN "error_step" text;--> statement-breakpoint
ALTER TABLE "github_tombstone" ADD CONSTRAINT "github_tombstone_repository_id_github_repository_id_fk" FOREIGN KEY ("repository_id") REFERENCES "public"."github_repository"("id") ON DELETE cascade ON UPDATE no action;