import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { OperatorNameForm } from "@/components/auth/operator-name-form";
import { getActor } from "@/lib/auth/current-actor";
import { findOperatorName } from "@/lib/users/queries";
import { updateOperatorNameAction } from "./actions";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage() {
  const actor = await getActor();
  if (actor.kind !== "user") redirect("/login?callbackUrl=/settings/profile");
  return (
    <main className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Profile</h1>
      <p className="text-sm text-gray-700">
        When you take a chat over, the contact, other operators and History see your operator name, never your account name or email.
      </p>
      <OperatorNameForm action={updateOperatorNameAction} current={await findOperatorName(actor)} />
    </main>
  );
}
