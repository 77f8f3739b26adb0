export default function Page() {
  return <p>Bare forward: POST /api/chat</p>;
}
