import { createFileRoute } from "@tanstack/react-router";
import { CreateOrg } from "../components/create-org.tsx";

export const Route = createFileRoute("/new")({ ssr: false, component: CreateOrg });
