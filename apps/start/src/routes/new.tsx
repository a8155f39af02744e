import { createFileRoute } from "@tanstack/react-router";
import { CreateOrg } from "./index.tsx";

export const Route = createFileRoute("/new")({ ssr: false, component: CreateOrg });
