import { ChatSkeleton } from "@/components/loading-skeletons";

export default function Loading() {
  return <ChatSkeleton />;
}
