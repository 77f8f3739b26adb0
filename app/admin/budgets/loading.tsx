import { PageSkeleton } from "@/components/loading-skeletons";

// Only on pages that never answer 404 or redirect: inside a loading boundary those would stream with a 200.
export default function Loading() {
  return <PageSkeleton />;
}
