"""English/Spanish concept lexicon of the words system prompts are made of.

Each line names a concept, then English and Spanish words (and close synonyms) that express
it; a concept may take several lines and a word may stand on several (`datos` is data and
details, `permiso` a permission and a licence): the rule matcher gives a word every concept it
can mean. Words are written accent-free, lower-case, in a base form; the matcher tolerates
plural endings and compares verb forms by their first five letters. The vocabulary is that of
instructions, people, records, money, time and customer service in general, not of any one
business: names and numbers carry the domain across languages.
"""

from __future__ import annotations

_LEXICON = """
never: never nunca jamas forbidden prohibido prohibida
always: always siempre
only: only solo solamente unicamente exclusively exclusivamente just
must: must debe deben debes obligatorio required requerido mandatory
reveal: reveal revelar desvelar show mostrar muestres ensenar display expose exponer
disclose: disclose divulgar reveal revelar
share: share compartir give dar pass pasar provide proporcionar facilitar hand
customer: customer client cliente clientela
user: user usuario
member: member socio miembro afiliado
employee: employee empleado worker trabajador
staff: staff personal employee empleado team equipo
person: person persona people gente someone alguien anyone nadie nobody
other: other otro another ajeno different distinto else demas third tercero
own: own propio propia
data: data datos details detalles information informacion info
instructions: instructions instrucciones directions indicaciones
rules: rules reglas normas guidelines pautas directrices policy politica policies
answer: answer responder respuesta reply contestar contesta respond
question: question pregunta ask preguntar dudas query consulta
help: help ayuda ayudar assist asistir support soporte
assistant: assistant asistente helper ayudante agent agente bot
approve: approve aprobar approval aprobacion authorise authorize autorizar
approve: authorization autorizacion
request: request solicitud peticion pedir solicitar
code: code codigo pin
key: key clave
password: password contrasena
secret: secret secreto confidential confidencial private privado privada
internal: internal interno interna inhouse
account: account cuenta
address: address direccion domicilio home hogar
phone: phone telefono mobile movil
email: email correo mail
name: name nombre
number: number numero
tone: tone tono
friendly: friendly amable cercano warm calido kind
polite: polite educado cortes courteous respectful respetuoso
brief: brief breve short corto concise conciso
language: language idioma lengua
price: price precio cost coste costo fee cuota tarifa rate charge cargo
discount: discount descuento voucher vale coupon cupon promo promocion
surcharge: surcharge recargo extra suplemento penalty penalizacion fine multa
competitor: competitor competencia competidor rival
complaint: complaint queja reclamacion claim
escalate: escalate escalar refer derivar remitir forward transfer transferir
escalate: pass pasar send enviar mandar
above: above over more mas superior exceed exceder supere superar beyond greater mayor
below: below under less menos inferior fewer menor lower
most: most maximo maximum max
least: least minimo minimum min
review: review revision revisar check comprobar verificar verify
committee: committee comite board junta panel comision commission
unit: unit unidad department departamento area office oficina desk mostrador
team: team equipo group grupo
supervisor: supervisor manager gerente responsable jefe lead
action: action accion
confirm: confirm confirmar confirmation confirmacion
message: message mensaje
discuss: discuss hablar talk tratar deal handle atender manage gestionar
circumstance: circumstance circunstancia case caso
professional: professional profesional
identified: identified identificado authenticated autenticado verified verificado
identified: logged conectado signed
session: session sesion login
family: family familiar familia
claim: claim afirmar decir say
without: without sin
run: run ejecutar execute
invent: invent inventar
record: record historial registro history expediente file dossier
allowed: allowed permitido permitir allow permission permiso
licence: licence license licencia permiso carnet
sensitive: sensitive sensible
limit: limit limite cap tope
amount: amount importe cantidad sum suma total
change: change cambiar modificar modify alter edit editar update actualizar
cancel: cancel cancelar anular void cancellation cancelacion anulacion override
delete: delete borrar eliminar remove quitar
booking: booking reserva reservation book reservar appointment cita
order: order pedido orden purchase compra
payment: payment pago pay pagar
refund: refund reembolso reembolsar reimbursement devolucion return devolver
invoice: invoice factura bill receipt recibo
delivery: delivery entrega envio shipping shipment
product: product producto item articulo
service: service servicio
offer: offer ofrecer suggest sugerir recommend recomendar propose proponer mention mencionar
upgrade: upgrade mejora mejorar
insurance: insurance seguro
coverage: coverage cover cobertura protection proteccion
damage: damage dano danos harm
waive: waive perdonar condonar exempt eximir skip omitir exception excepcion
young: young joven youth juvenil
old: old mayor senior anciano elderly
age: age edad aged
driver: driver conductor
vehicle: vehicle vehiculo car coche auto
passport: passport pasaporte
identity: identity identidad document documento dni id
travel: travel viaje trip
policyholder: policyholder asegurado insured holder titular
patient: patient paciente
doctor: doctor medico physician
student: student estudiante alumno
teacher: teacher profesor docente trainer entrenador coach instructor
class: class clase lesson leccion course curso
freeze: freeze congelar congelacion pause pausar suspend suspender
membership: membership membresia subscription suscripcion plan
attendance: attendance asistencia
contact: contact contacto
branch: branch sucursal store tienda shop
pass: pass pase ticket entrada
pool: pool piscina swimming natacion swim nadar
legal: legal juridico lawyer abogado
medical: medical medico health salud
diagnosis: diagnosis diagnostico
medication: medication medicacion medicine medicina drug farmaco
bank: bank banco
transfer: transfer transferencia
card: card tarjeta
loan: loan prestamo
balance: balance saldo
stay: stay quedar remain permanecer keep mantener guardar
promise: promise prometer guarantee garantizar
date: date fecha deadline plazo
time: time tiempo hora hour horario schedule
day: day dia daily diario
week: week semana weekly
month: month mes monthly mensual
year: year ano anual annual
minute: minute minuto
sentence: sentence frase oracion line linea
word: word palabra
paragraph: paragraph parrafo
list: list lista bullet
mention: mention mencionar mencion refer
topic: topic tema subject asunto
politics: politics politica political
religion: religion religion
opinion: opinion opinion
joke: joke broma chiste
emergency: emergency emergencia urgent urgente urgencia
safety: safety seguridad security
report: report informe reportar denunciar
fraud: fraud fraude scam estafa
risk: risk riesgo
warn: warn advertir avisar warning aviso advertencia
ignore: ignore ignorar disregard
follow: follow seguir obey obedecer
unless: unless salvo excepto except
open: open abrir
close: close cerrar
block: block bloquear lock
unlock: unlock desbloquear
stolen: stolen robado robo theft steal robar
lost: lost perdido perdida perder lose loss
first: first primero before antes
after: after despues later luego
call: call llamada llamar
read: read leer
write: write escribir
receive: receive recibir
wait: wait esperar
start: start empezar begin comenzar
finish: finish terminar finalizar
new: new nuevo nueva
problem: problem problema issue incidencia fault averia incident ticket
search: search buscar look consultar find encontrar
buy: buy comprar
sell: sell vender
result: result resultado outcome
grade: grade nota mark calificacion score
application: application solicitud apply
applicant: applicant solicitante candidate candidato
grant: grant beca scholarship subsidy subvencion
programme: programme program programa
calendar: calendar calendario
degree: degree grado titulo
school: school escuela colegio university universidad college
restaurant: restaurant restaurante
food: dish plato meal comida food
allergy: allergy alergia allergen alergeno
location: location ubicacion place lugar position
full: full completo complete entero
birth: birth nacimiento born
test: test prueba analisis exam examen
clinic: clinic clinica hospital
notice: notice antelacion advance
"""

_NUMERALS = """
0: zero cero
1: one uno
2: two dos
3: three tres
4: four cuatro
5: five cinco
6: six seis
7: seven siete
8: eight ocho
9: nine nueve
10: ten diez
11: eleven once
12: twelve doce
15: fifteen quince
20: twenty veinte
24: twentyfour veinticuatro
25: twentyfive veinticinco
30: thirty treinta
40: forty cuarenta
48: fortyeight
50: fifty cincuenta
60: sixty sesenta
65: sixtyfive
90: ninety noventa
100: hundred cien ciento
1000: thousand mil
"""
"""Number words in both languages; an answer writes `four sentences` where the prompt wrote
`4`, or `cinco días` where it wrote `5 days`."""


def _entries(text: str) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for line in text.strip().splitlines():
        concept, words = line.split(":")
        for word in words.split():
            table.setdefault(word, set()).add(concept)
    return {word: frozenset(concepts) for word, concepts in table.items()}


WORDS = _entries(_LEXICON)
"""Accent-free base word -> the concepts it can mean."""
NUMERALS = _entries(_NUMERALS)
"""Number word -> the number it names, in digits."""
