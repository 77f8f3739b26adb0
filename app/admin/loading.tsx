import { PageSkeleton } from "@/components/loading-skeletons";

export default function Loading() {
  return <PageSkeleton />;
}
