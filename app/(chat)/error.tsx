"use client";

// Inside the layout, so the sidebar (or the admin navigation) stays while the page offers a retry.
export { default } from "@/app/error";
