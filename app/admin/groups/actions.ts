"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import {
  addGroupMember,
  createGroup,
  deleteGroup,
  groupChangeInput,
  memberInput,
  newGroupInput,
  removeGroupMember,
  updateGroup,
} from "@/lib/access/groups";
import { auditActor, type AuditActor } from "@/lib/audit/record";
import { requireAdminAction } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { perMinuteFormFields } from "@/lib/usage/rate-limits";

export interface GroupActionResult {
  ok: boolean;
  message: string;
  /** The group created or changed, so the client can go to it. */
  groupId?: string;
}

const groupTarget = z.object({ groupId: z.uuid() });

/** Admin check, then the change; known failures come back as a message, not a thrown error. */
async function attempt(work: (actor: AuditActor) => Promise<Omit<GroupActionResult, "ok">>): Promise<GroupActionResult> {
  try {
    const admin = await requireAdminAction();
    const result = await work(auditActor(admin, await headers()));
    revalidatePath("/admin/groups", "layout");
    revalidatePath("/admin/audit");
    return { ok: true, ...result };
  } catch (error) {
    if (isAppError(error)) return { ok: false, message: error.message };
    if (error instanceof z.ZodError) return { ok: false, message: error.issues[0]?.message ?? "Check the form." };
    throw error;
  }
}

export async function createGroupAction(_: GroupActionResult | null, form: FormData): Promise<GroupActionResult> {
  return attempt(async (actor) => {
    const group = await createGroup(actor, newGroupInput.parse({ name: form.get("name") }));
    return { message: `Created ${group.name}.`, groupId: group.id };
  });
}

export async function renameGroupAction(input: { groupId: string; name: string }): Promise<GroupActionResult> {
  return attempt(async (actor) => {
    const { groupId } = groupTarget.parse(input);
    const group = await updateGroup(actor, groupId, groupChangeInput.parse({ name: input.name }));
    return { message: `Renamed to ${group.name}.`, groupId };
  });
}

export async function setGroupModelsAction(input: {
  groupId: string;
  modelIds: string[] | null;
  teeOnly: boolean;
}): Promise<GroupActionResult> {
  return attempt(async (actor) => {
    const { groupId } = groupTarget.parse(input);
    const change = groupChangeInput.parse({ modelIds: input.modelIds, teeOnly: input.teeOnly });
    const group = await updateGroup(actor, groupId, change);
    return { message: `Saved the models of ${group.name}.`, groupId };
  });
}

export async function deleteGroupAction(input: { groupId: string }): Promise<GroupActionResult> {
  return attempt(async (actor) => {
    const { groupId } = groupTarget.parse(input);
    await deleteGroup(actor, groupId);
    return { message: "Group deleted." };
  });
}

export async function addGroupMemberAction(input: { groupId: string; userId: string }): Promise<GroupActionResult> {
  return attempt(async (actor) => {
    const { groupId } = groupTarget.parse(input);
    const { userId } = memberInput.parse(input);
    const { added } = await addGroupMember(actor, groupId, userId);
    return { message: added ? "Member added." : "Already a member.", groupId };
  });
}

export async function removeGroupMemberAction(input: { groupId: string; userId: string }): Promise<GroupActionResult> {
  return attempt(async (actor) => {
    const { groupId } = groupTarget.parse(input);
    const { userId } = memberInput.parse(input);
    await removeGroupMember(actor, groupId, userId);
    return { message: "Member removed.", groupId };
  });
}

const limitsInput = z.object({ groupId: z.uuid(), ...perMinuteFormFields });

/** Default requests and tokens per minute for the group's members; empty = no limit from this group. */
export async function setGroupLimitsAction(input: { groupId: string; rpm: string; tpm: string }): Promise<GroupActionResult> {
  return attempt(async (actor) => {
    const { groupId, rpm, tpm } = limitsInput.parse(input);
    const group = await updateGroup(actor, groupId, groupChangeInput.parse({ rpm, tpm }));
    return { message: `Limits for ${group.name} saved.`, groupId };
  });
}

const apiAccessInput = z.object({ groupId: z.uuid(), apiAccess: z.boolean() });

/** Turns personal API keys on or off for the group's members (off refuses their keys at once). */
export async function setGroupApiAccessAction(input: { groupId: string; apiAccess: boolean }): Promise<GroupActionResult> {
  return attempt(async (actor) => {
    const { groupId, apiAccess } = apiAccessInput.parse(input);
    const group = await updateGroup(actor, groupId, groupChangeInput.parse({ apiAccess }));
    return { message: `API access ${group.apiAccess ? "on" : "off"} for ${group.name}.`, groupId };
  });
}

/** "Require verified replies": a member's TEE reply that fails verification is flagged and audited. */
export async function setGroupVerificationAction(input: { groupId: string; requireVerified: boolean }): Promise<GroupActionResult> {
  return attempt(async (actor) => {
    const { groupId } = groupTarget.parse(input);
    const group = await updateGroup(actor, groupId, groupChangeInput.parse({ requireVerified: input.requireVerified }));
    return {
      message: group.requireVerified ? `${group.name} now requires verified replies.` : `${group.name} no longer requires verified replies.`,
      groupId,
    };
  });
}
