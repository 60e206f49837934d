import { redirect } from "next/navigation";

/** /shares is where other chat apps keep this list: send people to /links. */
export default function SharesPage() {
  redirect("/links");
}
