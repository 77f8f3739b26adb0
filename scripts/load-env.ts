// Reads .env files the way `next start` does, so the scripts see the same configuration.
import { loadEnvConfig } from "@next/env";
import path from "node:path";

loadEnvConfig(path.resolve(__dirname, ".."), false, { info: () => {}, error: console.error });
