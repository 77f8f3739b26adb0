"use client";

import type { FileUIPart } from "ai";
import { useCallback, useRef, useState, type DragEvent } from "react";
import { checkFile, claimedKind, MAX_FILES_PER_MESSAGE, refusal, type AttachmentLimits } from "@/lib/attachments/kinds";

export interface PendingFile {
  id: string;
  file: File;
  kind: "image" | "text";
  /** an object URL to preview an image with */
  preview: string | null;
}

export interface Attachments {
  pending: PendingFile[];
  /** why the last file(s) could not be attached, or why the message cannot go as it is */
  problem: string | null;
  add: (files: Iterable<File>) => void;
  remove: (id: string) => void;
  dismiss: () => void;
  /**
   * The pending files as `useChat` file parts (data: URLs) and clears them; null (with the problem
   * shown) when they cannot go to the model, e.g. an image for a model without image input.
   */
  take: () => Promise<FileUIPart[]> | null;
  /** Props for the element files may be dropped on, and whether something is being dragged over it. */
  drop: {
    dragging: boolean;
    props: {
      onDragEnter: (event: DragEvent) => void;
      onDragOver: (event: DragEvent) => void;
      onDragLeave: (event: DragEvent) => void;
      onDrop: (event: DragEvent) => void;
    };
  };
}

const readAsDataUrl = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error(`could not read ${file.name}`));
    reader.readAsDataURL(file);
  });

const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes("Files");

/** A preview's object URL is let go with its file. */
function forget(file: PendingFile) {
  if (file.preview) URL.revokeObjectURL(file.preview);
}

/**
 * Files waiting to go with the next message: added by the paperclip, by drag and drop or by paste,
 * checked at once for type and size (the server checks the bytes again and decides).
 */
export function useAttachments({
  limits,
  model,
}: {
  limits: AttachmentLimits;
  model: { name: string; vision: boolean } | null;
}): Attachments {
  const [pending, setPending] = useState<PendingFile[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);

  const add = useCallback(
    (files: Iterable<File>) => {
      const accepted: PendingFile[] = [];
      const refused: string[] = [];
      for (const file of files) {
        const reason = checkFile(file, limits, model);
        if (reason) {
          refused.push(reason);
          continue;
        }
        const kind = claimedKind({ mediaType: file.type, filename: file.name }) ?? "text";
        const preview = kind === "image" ? URL.createObjectURL(file) : null;
        accepted.push({ id: crypto.randomUUID(), file, kind, preview });
      }
      const room = Math.max(MAX_FILES_PER_MESSAGE - pending.length, 0);
      if (accepted.length > room) refused.push(`A message can carry at most ${MAX_FILES_PER_MESSAGE} files.`);
      accepted.slice(room).forEach(forget);
      setPending([...pending, ...accepted.slice(0, room)]);
      setProblem(refused.length ? refused.join(" ") : null);
    },
    [limits, model, pending],
  );

  const remove = useCallback(
    (id: string) => {
      pending.filter((p) => p.id === id).forEach(forget);
      setPending(pending.filter((p) => p.id !== id));
      setProblem(null);
    },
    [pending],
  );

  const take = useCallback((): Promise<FileUIPart[]> | null => {
    if (model && !model.vision && pending.some((p) => p.kind === "image")) {
      setProblem(refusal.noVision(model.name));
      return null;
    }
    const files = pending;
    files.forEach(forget);
    setPending([]);
    setProblem(null);
    return Promise.all(
      files.map(async ({ file }) => ({ type: "file" as const, mediaType: file.type, filename: file.name, url: await readAsDataUrl(file) })),
    );
  }, [model, pending]);

  return {
    pending,
    problem,
    add,
    remove,
    dismiss: () => setProblem(null),
    take,
    drop: {
      dragging,
      props: {
        onDragEnter: (event) => {
          if (!hasFiles(event)) return;
          event.preventDefault();
          depth.current += 1;
          setDragging(true);
        },
        onDragOver: (event) => {
          if (!hasFiles(event)) return;
          event.preventDefault();
          event.dataTransfer.dropEffect = "copy";
        },
        onDragLeave: (event) => {
          if (!hasFiles(event)) return;
          depth.current = Math.max(0, depth.current - 1);
          if (depth.current === 0) setDragging(false);
        },
        onDrop: (event) => {
          if (!hasFiles(event)) return;
          event.preventDefault();
          depth.current = 0;
          setDragging(false);
          add(event.dataTransfer.files);
        },
      },
    },
  };
}
