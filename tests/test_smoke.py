def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_start_page_for_staff_member(cast, login):
    response = login(cast.same_unit).get("/")
    assert response.status_code == 200
    assert "Enhet A" in response.content.decode()
